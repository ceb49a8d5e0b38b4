package trainwatch.run;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a remote run comes from (a run created through the ingest API): the trainer's host name and
 * client as it told them when it created the run, and the address the request came from. Stored in
 * the run's config.json as {@code "origin"} beside {@code "remote": true}; null for a launched run.
 * Empty strings where the trainer said nothing.
 */
public record RemoteOrigin(String host, String client, String address) {
    public static final String CONFIG_KEY = "origin";

    public RemoteOrigin {
        host = host == null ? "" : host;
        client = client == null ? "" : client;
        address = address == null ? "" : address;
    }

    /** The origin of the run whose config this is, or null when it is not a remote run. */
    public static RemoteOrigin of(JsonNode config) {
        if (config == null || !config.path("remote").asBoolean(false)) return null;
        JsonNode o = config.path(CONFIG_KEY);
        return new RemoteOrigin(o.path("host").asText(""), o.path("client").asText(""), o.path("address").asText(""));
    }
}
