package trainwatch.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty rejects before Javalin sees them (encoded slashes, bad URIs,
 * oversize headers) with the API's JSON error instead of an HTML page, on every method (Jetty
 * writes a body only for GET, POST and HEAD unless told). A 5xx Jetty produces itself is a
 * server fault: 500 with an id, the cause in the log, counted like a route's.
 */
final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    private final HttpApp.ResponseCounts stats;

    JsonErrorHandler(HttpApp.ResponseCounts stats) {
        this.stats = stats;
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<java.nio.charset.Charset> charsets, int code, String message, Throwable cause) {
        return writeJson(stats, request, response, callback, code, message, cause);
    }

    static boolean writeJson(HttpApp.ResponseCounts stats, Request request, Response response, Callback callback, int code, String message,
                             Throwable cause) {
        String body;
        if (code >= 500) {
            String what = request.getMethod() + " " + request.getHttpURI().getPath() + ": " + code + " " + message;
            body = ErrorBodies.internal(Faults.record(stats, what, cause));
            code = 500;
        } else {
            body = ErrorBodies.of(describe(code, message));
        }
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    static String describe(int code, String message) {
        String base = HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || message.equals(base)) return "request rejected: " + base.toLowerCase();
        return "request rejected: " + message;
    }
}
