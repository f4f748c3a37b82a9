package de.tim.simulators.vzd.fhir;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.simulators.vzd.auth.TokenKind;
import de.tim.simulators.vzd.auth.VzdBaseUrl;
import de.tim.simulators.vzd.auth.VzdTokens;

/** FHIR-Proxy /search: read-only FHIR R4 search and read, requiring a search-accesstoken. */
@RestController
public class FhirSearchController {

    private final VzdTokens tokens;
    private final FhirSearch search;
    private final FhirDirectory directory;
    private final FhirJson json;
    private final VzdBaseUrl baseUrl;

    public FhirSearchController(VzdTokens tokens, FhirSearch search, FhirDirectory directory, FhirJson json, VzdBaseUrl baseUrl) {
        this.tokens = tokens;
        this.search = search;
        this.directory = directory;
        this.json = json;
        this.baseUrl = baseUrl;
    }

    /** GET /search/{type}?… */
    @GetMapping("/search/{type}")
    public ResponseEntity<String> search(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @PathVariable("type") String type, @RequestParam MultiValueMap<String, String> parameters) {
        boolean insured = insuredPerson(tokens.require(TokenKind.SEARCH, authorization));
        return json.response(HttpStatus.OK, search.search(type, parameters, baseUrl.current() + "/search", insured));
    }

    /** GET /search/{type}/{id} */
    @GetMapping("/search/{type}/{id}")
    public ResponseEntity<String> read(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @PathVariable("type") String type, @PathVariable("id") String id) {
        boolean insured = insuredPerson(tokens.require(TokenKind.SEARCH, authorization));
        FhirSearch.requireType(type);
        return json.response(HttpStatus.OK, directory.get(type, id).filter(r -> EndpointVisibility.visible(r, insured))
                .orElseThrow(() -> FhirException.notFound(type + "/" + id + " not found")));
    }

    private static boolean insuredPerson(com.nimbusds.jwt.JWTClaimsSet claims) {
        return Boolean.TRUE.equals(claims.getClaim("isInsurance"));
    }
}
