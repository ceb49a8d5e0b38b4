package trainwatch.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not send: a chosen Host header
 * (DNS rebinding) and a WebSocket upgrade whose refusal we want to read, body included.
 */
final class RawHttp {
    private RawHttp() {}

    record Res(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            JsonNode n = Json.tree(body);
            if (n == null) throw new AssertionError("not JSON (" + status + "): '" + body + "'");
            return n;
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    static Res request(int port, String method, String path, String host, Map<String, String> headers, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        req.append("Host: ").append(host).append("\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        if (!headers.containsKey("Connection")) req.append("Connection: close\r\n");
        if (body != null) req.append("Content-Length: ").append(payload.length).append("\r\n");
        req.append("\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(payload);
            s.getOutputStream().flush();
            Res r = read(s.getInputStream());
            Api.SEEN.add("RAW " + method + " " + path + " -> " + r.status());
            return r;
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " (Host " + host + ") failed: " + e, e);
        }
    }

    static Res get(int port, String path, String host) {
        return request(port, "GET", path, host, Map.of(), null);
    }

    /** A WebSocket upgrade request; the caller expects it to be refused (an accepted one has no body to read). */
    static Res upgrade(int port, String path, String host, String origin) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Upgrade", "websocket");
        h.put("Connection", "Upgrade");
        h.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        h.put("Sec-WebSocket-Version", "13");
        if (origin != null) h.put("Origin", origin);
        return request(port, "GET", path, host, h, null);
    }

    private static Res read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int c = l.indexOf(':');
            headers.put(l.substring(0, c).trim().toLowerCase(Locale.ROOT), l.substring(c + 1).trim());
        }
        byte[] body;
        if (status == 101) body = new byte[0];
        else if (headers.containsKey("content-length")) body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = chunked(in);
        else body = in.readAllBytes();
        return new Res(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
            if (size == 0) return out.toByteArray();
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') if (c != '\r') sb.append((char) c);
        return sb.toString();
    }
}
