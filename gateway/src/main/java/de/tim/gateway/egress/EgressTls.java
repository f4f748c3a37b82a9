package de.tim.gateway.egress;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;

import de.tim.crypto.tls.SslContexts;
import de.tim.crypto.x509.Certificates;

/** The TLS trust for connections to remote Messenger-Proxies: the JDK's CAs plus the configured anchors. */
public final class EgressTls {

    private EgressTls() {
    }

    public static SSLContext context(EgressProperties properties) {
        List<X509Certificate> anchors = new ArrayList<>();
        properties.trustAnchors().forEach(path -> anchors.addAll(Certificates.readPem(path)));
        return SslContexts.trustingDefaultsAnd(anchors);
    }
}
