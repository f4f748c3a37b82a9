package de.tim.gateway.listener;

import java.security.KeyStore;
import java.security.KeyStoreException;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Adds the federation listener as a second Tomcat connector, with the TLS material of the client
 * listener ({@code server.ssl.bundle}). Its actual port is known once Tomcat has started.
 */
public final class FederationListener implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Connector connector;

    FederationListener(int port, ServerProperties server, SslBundles bundles) {
        this.connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(port);
        if (server.getSsl() != null && server.getSsl().getBundle() != null) {
            enableTls(bundles.getBundle(server.getSsl().getBundle()));
        }
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addAdditionalTomcatConnectors(connector);
    }

    /** The bound port, or -1 before start. */
    public int localPort() {
        return connector.getLocalPort();
    }

    private void enableTls(SslBundle bundle) {
        connector.setScheme("https");
        connector.setSecure(true);
        Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
        protocol.setSSLEnabled(true);
        SSLHostConfig host = new SSLHostConfig();
        host.setProtocols("+TLSv1.2,+TLSv1.3");
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        KeyStore keyStore = bundle.getStores().getKeyStore();
        try {
            certificate.setCertificateKeystore(keyStore);
        } catch (RuntimeException e) {
            throw new IllegalStateException("federation listener: unusable key store", e);
        }
        String password = bundle.getStores().getKeyStorePassword();
        certificate.setCertificateKeystorePassword(password);
        if (bundle.getKey().getPassword() != null) {
            certificate.setCertificateKeyPassword(bundle.getKey().getPassword());
        }
        if (bundle.getKey().getAlias() != null) {
            certificate.setCertificateKeyAlias(bundle.getKey().getAlias());
        }
        host.addCertificate(certificate);
        protocol.addSslHostConfig(host);
        checkHasKey(keyStore);
    }

    private static void checkHasKey(KeyStore keyStore) {
        try {
            if (keyStore == null || keyStore.size() == 0) {
                throw new IllegalStateException("federation listener: the TLS key store is empty");
            }
        } catch (KeyStoreException e) {
            throw new IllegalStateException("federation listener: unreadable key store", e);
        }
    }
}
