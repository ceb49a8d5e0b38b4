package trainwatch.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the requests Jetty rejects before Javalin sees them (encoded slashes, bad
 * URIs, oversize headers) with the API's JSON error instead of an HTML page, and maps
 * any server-side status to 400 so no caller ever reads a 5xx or a stack trace.
 */
final class JsonErrorHandler extends org.eclipse.jetty.server.handler.ErrorHandler {
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<java.nio.charset.Charset> charsets, int code, String message, Throwable cause) {
        return writeJson(response, callback, code, message);
    }

    static boolean writeJson(Response response, Callback callback, int code, String message) {
        int status = code >= 500 ? 400 : code;
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        String body = ErrorBodies.of(describe(code, message));
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    static String describe(int code, String message) {
        String base = HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || message.equals(base)) return "request rejected: " + base.toLowerCase();
        return "request rejected: " + message;
    }
}
