package de.tim.gateway.listener;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * The egress listener: a plain-HTTP connector on an internal address where the homeserver sends its
 * outbound federation requests (absolute-form, {@code GET http://<destination>/_matrix/...}); the gateway
 * checks the destination and forwards over TLS to the remote Messenger-Proxy.
 */
public final class EgressListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Connector connector;

    EgressListener(int port, String address) {
        connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(port);
        connector.setProperty("address", address);
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalTomcatConnectors(connector);
    }

    /** The bound port, or -1 before start. */
    public int localPort() {
        return connector.getLocalPort();
    }
}
