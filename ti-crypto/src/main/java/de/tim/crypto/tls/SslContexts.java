package de.tim.crypto.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** TLS client contexts that trust exactly the given anchors (and not the JDK's default CAs). */
public final class SslContexts {

    private SslContexts() {
    }

    /**
     * A TLS client context that trusts the JDK's default CAs and, in addition, the given anchors (e.g. a
     * development CA or a private TI CA).
     */
    public static SSLContext trustingDefaultsAnd(List<X509Certificate> extraAnchors) {
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            X509TrustManager jdk = firstX509(defaults);
            X509TrustManager extra = extraAnchors.isEmpty() ? null : firstX509(factoryFor(extraAnchors));
            X509TrustManager either = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    jdk.checkClientTrusted(chain, authType);
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        jdk.checkServerTrusted(chain, authType);
                    } catch (CertificateException e) {
                        if (extra == null) {
                            throw e;
                        }
                        extra.checkServerTrusted(chain, authType);
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    X509Certificate[] a = jdk.getAcceptedIssuers();
                    X509Certificate[] b = extra == null ? new X509Certificate[0] : extra.getAcceptedIssuers();
                    X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, all, a.length, b.length);
                    return all;
                }
            };
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {either}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    private static TrustManagerFactory factoryFor(List<X509Certificate> anchors) throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                trust.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509TrustManager firstX509(TrustManagerFactory factory) {
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    public static SSLContext trusting(List<X509Certificate> anchors) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factoryFor(anchors).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }
}
