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
import de.tim.crypto.x509.IssuedCertificate;
import de.tim.simulators.pki.SignerRole;
import de.tim.simulators.pki.TestPki;
import de.tim.simulators.vzd.VzdProperties;

/**
 * Signs the federation list as a compact JWS: payload per FederationList.json ({@code version}, {@code domainList})
 * plus {@code iat}/{@code exp}; header {@code alg} (BP256R1 or ES256, switchable at runtime) and {@code x5c}. The
 * signature is cached per version and algorithm and renewed after half the validity.
 */
@Component
public class FederationListSigner {

    private final TestPki pki;
    private final VzdProperties properties;
    private final Clock clock;
    private volatile JWSAlgorithm algorithm;
    private volatile Signed cached;

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

    public String sign(FederationRegistry.Snapshot snapshot) {
        JWSAlgorithm alg = algorithm;
        Instant now = clock.instant();
        Signed current = cached;
        if (current != null && current.version() == snapshot.version() && current.algorithm().equals(alg)
                && current.issuedAt().plus(properties.federationListValidity().dividedBy(2)).isAfter(now)) {
            return current.jws();
        }
        IssuedCertificate signer = pki.signer(alg.equals(TiJwsAlgorithms.BP256R1)
                ? SignerRole.FEDERATION_LIST_BP256 : SignerRole.FEDERATION_LIST_P256);
        List<Map<String, Object>> domainList = snapshot.domains().stream().map(FederationListSigner::entry).toList();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("version", snapshot.version())
                .claim("domainList", domainList)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(properties.federationListValidity())))
                .build();
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
