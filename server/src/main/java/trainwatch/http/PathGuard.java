package trainwatch.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sits in front of the servlet layer: a URI Jetty finds ambiguous (%2e%2e, %00, ";"
 * segments...) would otherwise get Jetty's own empty 400; here it gets the API's JSON
 * error. Encoded slashes inside a run id pass on to the router, whose id check refuses them.
 */
final class PathGuard extends Handler.Wrapper {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        boolean odd = uri.hasAmbiguousSegment() || uri.hasAmbiguousEmptySegment() || uri.hasAmbiguousParameter()
                || uri.hasAmbiguousEncoding() || path == null || path.indexOf('\0') >= 0 || uri.getDecodedPath() == null;
        if (!odd) return super.handle(request, response, callback);
        response.setStatus(400);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        String body = ErrorBodies.of("request rejected: the path is ambiguous or malformed (" + Clip.of(String.valueOf(uri.getPath())) + ")");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
