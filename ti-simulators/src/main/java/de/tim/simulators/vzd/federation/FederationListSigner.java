package de.tim.simulators.vzd.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;

import de.tim.crypto.jws.TiJws;
import de.tim.crypto.jws.TiJwsAlgorithms;
import de.tim.crypto.x509.CertificateIssuer;
import de.tim.crypto.x509.EcCurve;
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.VzdProperties;

/**
 * Signs the federation list as a compact JWS: payload per FederationList.json ({@code version}, {@code domainList})
 * plus {@code iat}/{@code exp}; header {@code alg} (BP256R1 or ES256, switchable at runtime) and {@code x5c}. The
 * signature is cached per version and algorithm and renewed after half the validity.
 *
 * <p>An operator can make it serve a list with an invalid signature ({@link Tampering}): signed by a key outside the TI
 * PKI, or with a payload changed after signing. The registration service must refuse both.
 */
@Component
public class FederationListSigner {

    private final TestPki pki;
    private final VzdProperties properties;
    private final Clock clock;
    private volatile JWSAlgorithm algorithm;
    private volatile Signed cached;
    private volatile Tampering tampering = Tampering.NONE;
    private volatile Map<EcCurve, IssuedCertificate> foreignSigners = Map.of();

    /** How the served list is broken on purpose (operator control, tests of the lists' consumers). */
    public enum Tampering {
        /** properly signed by the federation list signer of the test PKI */
        NONE,
        /** signed (validly) by a signer whose chain ends in a root outside the TI PKI */
        FOREIGN_SIGNER,
        /** properly signed, then the payload changed (a domain added): the signature no longer fits */
        MODIFIED_PAYLOAD;

        /** Parses {@code none}, {@code foreign-signer}, {@code modified-payload} (case-insensitive). */
        public static Tampering parse(String name) {
            for (Tampering t : values()) {
                if (t.name().replace('_', '-').equalsIgnoreCase(name) || t.name().equalsIgnoreCase(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("tampering must be none, foreign-signer or modified-payload");
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The domain the {@link Tampering#MODIFIED_PAYLOAD} list slips in. */
    public static final String TAMPERED_DOMAIN = "tampered.invalid";

    private record Signed(long version, JWSAlgorithm algorithm, Instant issuedAt, String jws) {
    }

    public FederationListSigner(TestPki pki, VzdProperties properties) {
        this.pki = pki;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        this.algorithm = parse(properties.federationListAlgorithm());
    }

    /** Parses {@code BP256R1} or {@code ES256}. */
    public static JWSAlgorithm parse(String name) {
        if (TiJwsAlgorithms.BP256R1.getName().equalsIgnoreCase(name)) {
            return TiJwsAlgorithms.BP256R1;
        }
        if (JWSAlgorithm.ES256.getName().equalsIgnoreCase(name)) {
            return JWSAlgorithm.ES256;
        }
        throw new IllegalArgumentException("federation list algorithm must be BP256R1 or ES256, not " + name);
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    public void useAlgorithm(JWSAlgorithm algorithm) {
        this.algorithm = parse(algorithm.getName());
    }

    public Tampering tampering() {
        return tampering;
    }

    public void useTampering(Tampering tampering) {
        this.tampering = java.util.Objects.requireNonNull(tampering);
    }

    public String sign(FederationRegistry.Snapshot snapshot) {
        Tampering mode = tampering;
        return switch (mode) {
            case NONE -> signProperly(snapshot);
            case FOREIGN_SIGNER -> {
                JWSAlgorithm alg = algorithm;
                IssuedCertificate foreign = foreignSigner(alg.equals(TiJwsAlgorithms.BP256R1) ? EcCurve.BRAINPOOL_P256R1 : EcCurve.P256);
                yield TiJws.sign(foreign, TiJws.headerWithX5c(foreign).build(), claims(snapshot, clock.instant(), List.of())).serialize();
            }
            case MODIFIED_PAYLOAD -> {
                String[] parts = signProperly(snapshot).split("\\.");
                JWTClaimsSet changed = claims(snapshot, clock.instant(), List.of(entry(new FederationDomain(TAMPERED_DOMAIN,
                        "9-tampered", false, "tampered"))));
                String payload = com.nimbusds.jose.util.Base64URL.encode(changed.toString()).toString();
                yield parts[0] + "." + payload + "." + parts[2];
            }
        };
    }

    private synchronized IssuedCertificate foreignSigner(EcCurve curve) {
        IssuedCertificate existing = foreignSigners.get(curve);
        if (existing != null) {
            return existing;
        }
        IssuedCertificate root = CertificateIssuer.selfSignedRoot("CN=Foreign Root " + curve + ",O=not part of the TI",
                curve, java.time.Duration.ofDays(365));
        IssuedCertificate signer = CertificateIssuer.signer(root, "CN=VZD FederationList Signer (foreign),O=not part of the TI",
                curve, java.time.Duration.ofDays(30), List.of());
        Map<EcCurve, IssuedCertificate> next = new java.util.EnumMap<>(EcCurve.class);
        next.putAll(foreignSigners);
        next.put(curve, signer);
        foreignSigners = next;
        return signer;
    }

    private JWTClaimsSet claims(FederationRegistry.Snapshot snapshot, Instant now, List<Map<String, Object>> extra) {
        List<Map<String, Object>> domainList = new java.util.ArrayList<>(snapshot.domains().stream().map(FederationListSigner::entry).toList());
        domainList.addAll(extra);
        return new JWTClaimsSet.Builder()
                .claim("version", snapshot.version())
                .claim("domainList", domainList)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.federationListValidity())))
                .build();
    }

    private String signProperly(FederationRegistry.Snapshot snapshot) {
        JWSAlgorithm alg = algorithm;
        Instant now = clock.instant();
        Signed current = cached;
        if (current != null && current.version() == snapshot.version() && current.algorithm().equals(alg)
                && current.issuedAt().plus(properties.federationListValidity().dividedBy(2)).isAfter(now)) {
            return current.jws();
        }
        IssuedCertificate signer = pki.signer(alg.equals(TiJwsAlgorithms.BP256R1)
                ? SignerRole.FEDERATION_LIST_BP256 : SignerRole.FEDERATION_LIST_P256);
        JWTClaimsSet claims = claims(snapshot, now, List.of());
        JWSHeader header = TiJws.headerWithX5c(signer).build();
        String jws = TiJws.sign(signer, header, claims).serialize();
        cached = new Signed(snapshot.version(), alg, now, jws);
        return jws;
    }

    private static Map<String, Object> entry(FederationDomain domain) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("domain", domain.domain());
        entry.put("telematikID", domain.telematikID());
        entry.put("isInsurance", domain.isInsurance());
        entry.put("timProvider", domain.timProvider());
        return entry;
    }
}
