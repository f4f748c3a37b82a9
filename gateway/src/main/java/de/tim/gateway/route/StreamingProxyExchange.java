package de.tim.gateway.route;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;

import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayServerResponse;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Forwards a request and its response as streams, in both directions, without holding back any bytes
 * that have arrived. Spring Cloud Gateway's own {@code RestClientProxyExchange} copies bodies with
 * {@code InputStream.transferTo}, which never flushes: the last buffer of Tomcat's response (8 KB) and of
 * the HttpClient's request entity stayed behind whenever the sender paused, so a client saw a download
 * (and the homeserver an upload) only up to the last full buffer until the whole body had passed. Here
 * every copy flushes as soon as the source has nothing more available, which costs nothing while data
 * keeps flowing and delivers every byte as soon as it arrived. Memory per exchange is one copy buffer.
 * <p>
 * The RestClient is built directly on the upstream request factory without interceptors: interceptors
 * make a RestClient wrap its factory in an intercepting one that buffers whole request bodies.
 */
final class StreamingProxyExchange implements ProxyExchange {

    static final int BUFFER_SIZE = 16 * 1024;

    private final RestClient restClient;

    StreamingProxyExchange(ClientHttpRequestFactory requestFactory) {
        this.restClient = RestClient.builder().requestFactory(requestFactory).build();
    }

    @Override
    public ServerResponse exchange(Request request) {
        URI uri = withOriginalQuery(request.getUri(), request.getServerRequest().servletRequest().getQueryString());
        RestClient.RequestBodySpec spec = restClient.method(request.getMethod()).uri(uri)
                .headers(headers -> headers.putAll(request.getHeaders()));
        if (hasBody(request)) {
            // the gateway's header filters drop Content-Length (filters may rewrite bodies; ours forward them byte for
            // byte): a declared length is passed on, so the homeserver can refuse an oversized upload before its bytes
            long declaredLength = request.getServerRequest().servletRequest().getContentLengthLong();
            if (declaredLength >= 0) {
                spec.contentLength(declaredLength);
            }
            spec.body(out -> copy(request.getServerRequest().servletRequest().getInputStream(), out));
        }
        return spec.exchange((clientRequest, clientResponse) -> respond(request, clientResponse), false);
    }

    /**
     * Spring Cloud Gateway rebuilds the query from the parsed parameters: reordered, re-encoded, and with the fields
     * of a form body added. The request goes on with its query exactly as it arrived, because an X-Matrix signature
     * covers the request URI byte for byte (a reordered {@code backfill?v=..&limit=..} would fail at the destination).
     */
    static URI withOriginalQuery(URI target, String rawQuery) {
        String base = target.getScheme() + "://" + target.getRawAuthority() + (target.getRawPath() == null ? "" : target.getRawPath());
        try {
            return URI.create(rawQuery == null ? base : base + "?" + rawQuery);
        } catch (IllegalArgumentException e) {
            // not a valid URI query (the container accepted it): the gateway's own encoding of it is sent instead
            return target;
        }
    }

    private static boolean hasBody(Request request) {
        try {
            return !request.getServerRequest().servletRequest().getInputStream().isFinished();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ServerResponse respond(Request request, ClientHttpResponse upstream) throws IOException {
        MvcUtils.putAttribute(request.getServerRequest(), MvcUtils.CLIENT_RESPONSE_INPUT_STREAM_ATTR, upstream.getBody());
        MvcUtils.putAttribute(request.getServerRequest(), MvcUtils.CLIENT_RESPONSE_ATTR, upstream);
        ServerResponse response = GatewayServerResponse.status(upstream.getStatusCode())
                .build((servletRequest, servletResponse) -> {
                    try (upstream) {
                        InputStream body = MvcUtils.getAttribute(request.getServerRequest(),
                                MvcUtils.CLIENT_RESPONSE_INPUT_STREAM_ATTR);
                        copy(body, servletResponse.getOutputStream());
                    }
                    return null;
                });
        UpstreamResponse adapter = new UpstreamResponse(upstream.getStatusCode(), upstream.getHeaders());
        request.getResponseConsumers().forEach(consumer -> consumer.accept(adapter, response));
        return response;
    }

    /** Copies until the end of {@code in}, flushing {@code out} whenever {@code in} has nothing more available. */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            total += n;
            if (in.available() <= 0) {
                out.flush();
            }
        }
        out.flush();
        return total;
    }

    private record UpstreamResponse(HttpStatusCode statusCode, HttpHeaders headers) implements ProxyExchange.Response {

        @Override
        public HttpStatusCode getStatusCode() {
            return statusCode;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }
}
