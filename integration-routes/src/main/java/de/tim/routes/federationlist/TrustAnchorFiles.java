package de.tim.routes.federationlist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import de.tim.crypto.x509.Certificates;

/** Reads TI root certificates from PEM files; missing files are skipped with a warning. */
public final class TrustAnchorFiles {

    private static final Logger log = LoggerFactory.getLogger(TrustAnchorFiles.class);

    private TrustAnchorFiles() {
    }

    public static List<X509Certificate> read(List<Path> files, String property) {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path file : files) {
            if (Files.isRegularFile(file)) {
                anchors.addAll(Certificates.readPem(file));
            } else {
                log.warn("{}: {} does not exist and is skipped", property, file);
            }
        }
        if (anchors.isEmpty()) {
            log.warn("{}: no trust anchors; every signature checked against them is refused", property);
        }
        return anchors;
    }
}
