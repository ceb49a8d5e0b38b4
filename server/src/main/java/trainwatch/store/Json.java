package trainwatch.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The store's one JSON mapper (status.json, checks/*.json). */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {}
}
