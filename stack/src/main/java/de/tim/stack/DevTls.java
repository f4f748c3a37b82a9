package de.tim.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.crypto.x509.KeyStores;

/**
 * The development CA of the local stack and the TLS certificates of its gateways, created on first
 * start in {@code <data-dir>/tls} and reused afterwards. Clients trust {@code dev-ca.pem}.
 */
final class DevTls {

    /** Key stores in the data dir are protected by this password; they hold development keys only. */
    static final String KEY_STORE_PASSWORD = "tim-local-dev";

    private final Path dir;
    private final IssuedCertificate ca;

    private DevTls(Path dir, IssuedCertificate ca) {
        this.dir = dir;
        this.ca = ca;
    }

    static DevTls openOrCreate(Path dataDir) {
        Path dir = dataDir.resolve("tls");
        Path caStore = dir.resolve("dev-ca.p12");
        IssuedCertificate ca;
        if (Files.exists(caStore)) {
            ca = KeyStores.readKeyStore(caStore, KEY_STORE_PASSWORD.toCharArray());
        } else {
            ca = CertificateIssuer.selfSignedRoot("CN=TI-Messenger Local Development CA,O=tim-local", EcCurve.P256,
                    Duration.ofDays(3650));
            KeyStores.writeKeyStore(ca, caStore, KEY_STORE_PASSWORD.toCharArray());
        }
        KeyStores.writePem(dir.resolve("dev-ca.pem"), ca.certificate());
        return new DevTls(dir, ca);
    }

    X509Certificate caCertificate() {
        return ca.certificate();
    }

    Path caPem() {
        return dir.resolve("dev-ca.pem");
    }

    /** The PKCS#12 key store of a gateway's TLS certificate for {@code serverName}, created if missing. */
    Path serverKeyStore(String serverName) {
        Path file = dir.resolve(serverName + ".p12");
        if (!Files.exists(file)) {
            IssuedCertificate server = CertificateIssuer.tlsServer(ca, serverName, List.of(serverName, "localhost"),
                    List.of("127.0.0.1"), EcCurve.P256, Duration.ofDays(825));
            KeyStores.writeKeyStore(server, file, KEY_STORE_PASSWORD.toCharArray());
        }
        return file;
    }
}
