package de.tim.simulators.control;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.simulators.pki.TestPki;
import de.tim.simulators.seed.SeedData;
import de.tim.simulators.seed.SeedLoader;
import de.tim.simulators.vzd.federation.FederationListSigner;
import de.tim.simulators.vzd.federation.FederationRegistry;
import de.tim.simulators.vzd.fhir.FhirDirectory;

/** Operator controls for tests and demos. Not part of any TI interface; unauthenticated (local use only). */
@RestController
@RequestMapping(path = "/control", produces = MediaType.APPLICATION_JSON_VALUE)
public class ControlController {

    private final FaultRules faults;
    private final FhirDirectory directory;
    private final SeedLoader seeds;
    private final FederationRegistry federation;
    private final FederationListSigner federationSigner;
    private final TestPki pki;

    public ControlController(FaultRules faults, FhirDirectory directory, SeedLoader seeds, FederationRegistry federation,
                             FederationListSigner federationSigner, TestPki pki) {
        this.faults = faults;
        this.directory = directory;
        this.seeds = seeds;
        this.federation = federation;
        this.federationSigner = federationSigner;
        this.pki = pki;
    }

    /** A fault as JSON: {@code {"pathPrefix":"/search","status":503,"delayMillis":0,"times":1}}. */
    public record FaultRequest(String pathPrefix, Integer status, Long delayMillis, Integer times) {
    }

    /** POST /control/faults — add (or replace) a rule. */
    @PostMapping(path = "/faults", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<List<FaultRules.Fault>> addFault(@RequestBody FaultRequest request) {
        faults.add(new FaultRules.Fault(request.pathPrefix(), request.status() == null ? 0 : request.status(),
                Duration.ofMillis(request.delayMillis() == null ? 0 : request.delayMillis()),
                request.times() == null ? 0 : request.times()));
        return ResponseEntity.ok(faults.list());
    }

    /** GET /control/faults */
    @GetMapping("/faults")
    public List<FaultRules.Fault> listFaults() {
        return faults.list();
    }

    /** DELETE /control/faults[?pathPrefix=] */
    @DeleteMapping("/faults")
    public ResponseEntity<Void> clearFaults(@RequestParam(name = "pathPrefix", required = false) String pathPrefix) {
        if (pathPrefix == null) {
            faults.clear();
        } else {
            faults.remove(pathPrefix);
        }
        return ResponseEntity.noContent().build();
    }

    /** PUT /control/organizations/{telematikId}/active?active=true|false */
    @PutMapping("/organizations/{telematikId}/active")
    public ResponseEntity<Map<String, Object>> setActive(@PathVariable("telematikId") String telematikId,
                                                         @RequestParam("active") boolean active) {
        if (!directory.setOrganizationActive(telematikId, active)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("message", "no Organization with this telematikID"));
        }
        return ResponseEntity.ok(Map.of("telematikID", telematikId, "active", active));
    }

    /** POST /control/seed — load additional seed data (same format as the seed file). */
    @PostMapping(path = "/seed", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> seed(@RequestBody SeedData seed) {
        seeds.load(seed);
        return ResponseEntity.ok(Map.of("organizations", seed.organizations().size(), "practitioners", seed.practitioners().size()));
    }

    /** GET /control/federation-list — version, domain count and signing algorithm. */
    @GetMapping("/federation-list")
    public Map<String, Object> federationList() {
        FederationRegistry.Snapshot snapshot = federation.snapshot();
        return Map.of("version", snapshot.version(), "domains", snapshot.domains().size(),
                "algorithm", federationSigner.algorithm().getName(), "tampering", federationSigner.tampering().wireName());
    }

    /**
     * PUT /control/federation-list/tampering?mode=none|foreign-signer|modified-payload — serve the list with an
     * invalid signature (signed outside the TI PKI, or payload changed after signing) until set back to {@code none}.
     */
    @PutMapping("/federation-list/tampering")
    public Map<String, Object> tampering(@RequestParam("mode") String mode) {
        federationSigner.useTampering(FederationListSigner.Tampering.parse(mode));
        return federationList();
    }

    /** PUT /control/federation-list/algorithm?alg=BP256R1|ES256 */
    @PutMapping("/federation-list/algorithm")
    public Map<String, Object> algorithm(@RequestParam("alg") String alg) {
        federationSigner.useAlgorithm(FederationListSigner.parse(alg));
        return federationList();
    }

    /** GET /control/pki — where the trust anchors were written. */
    @GetMapping("/pki")
    public Map<String, Object> pki() {
        return Map.of("directory", pki.directory().toString(), "rootsPem", pki.rootsPem().toString(),
                "rootsTrustStore", pki.rootsTrustStore().toString());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("message", e.getMessage()));
    }
}
