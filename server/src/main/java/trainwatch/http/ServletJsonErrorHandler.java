package trainwatch.http;

import java.nio.charset.Charset;
import java.util.List;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The servlet context's error page, with the same JSON as {@link JsonErrorHandler} (Jetty asks each layer separately). */
final class ServletJsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    private final HttpApp.ResponseCounts stats;

    ServletJsonErrorHandler(HttpApp.ResponseCounts stats) {
        this.stats = stats;
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause) {
        return JsonErrorHandler.writeJson(stats, request, response, callback, code, message, cause);
    }
}
