package de.tim.crypto.x509;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Reading and writing PKCS#12 key stores, trust stores and PEM files. */
public final class KeyStores {

    public static final String KEY_ALIAS = "key";

    private KeyStores() {
    }

    /** Writes a PKCS#12 file holding the private key and the certificate chain under {@link #KEY_ALIAS}. */
    public static void writeKeyStore(IssuedCertificate issued, Path file, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, issued.privateKey(), password, issued.chain().toArray(Certificate[]::new));
            write(store, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write key store " + file, e);
        }
    }

    /** Reads what {@link #writeKeyStore} wrote (on BouncyCastle, so brainpool keys and certificates work). */
    public static IssuedCertificate readKeyStore(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12", BouncyCastle.provider());
            store.load(in, password);
            Key key = store.getKey(KEY_ALIAS, password);
            Certificate[] chain = store.getCertificateChain(KEY_ALIAS);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new IllegalStateException("key store " + file + " holds no key entry '" + KEY_ALIAS + "'");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : chain) {
                certs.add(Certificates.fromDer(c.getEncoded()));
            }
            KeyPair pair = new KeyPair(certs.getFirst().getPublicKey(), privateKey);
            return new IssuedCertificate(pair, certs.getFirst(), certs.subList(1, certs.size()));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read key store " + file, e);
        }
    }

    /** Writes a PKCS#12 trust store with the given certificates as trusted entries. */
    public static void writeTrustStore(List<X509Certificate> trusted, Path file, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            write(store, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write trust store " + file, e);
        }
    }

    /** Writes certificates (and optionally a private key) as PEM. */
    public static void writePem(Path file, Object... objects) {
        Arrays.stream(objects).forEach(o -> {
            if (!(o instanceof X509Certificate) && !(o instanceof PrivateKey)) {
                throw new IllegalArgumentException("only certificates and private keys go to PEM here");
            }
        });
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toPem(objects));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static String toPem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            store.store(out, password);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
