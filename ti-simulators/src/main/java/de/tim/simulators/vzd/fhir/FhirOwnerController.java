package de.tim.simulators.vzd.fhir;

import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import de.tim.simulators.vzd.auth.TokenKind;
import de.tim.simulators.vzd.auth.VzdBaseUrl;
import de.tim.simulators.vzd.auth.VzdTokens;

/** FHIR-Proxy /owner: search, read, create, update, delete of the caller's own entries; requires an owner-accesstoken. */
@RestController
public class FhirOwnerController {

    private final VzdTokens tokens;
    private final FhirSearch search;
    private final FhirDirectory directory;
    private final FhirJson json;
    private final OwnerPolicy policy;
    private final VzdBaseUrl baseUrl;
    private final VzdProfileValidator validator;

    public FhirOwnerController(VzdTokens tokens, FhirSearch search, FhirDirectory directory, FhirJson json,
                               OwnerPolicy policy, VzdBaseUrl baseUrl, de.tim.simulators.vzd.VzdProperties properties) {
        this.tokens = tokens;
        this.search = search;
        this.directory = directory;
        this.json = json;
        this.policy = policy;
        this.baseUrl = baseUrl;
        this.validator = properties.validateOwnerWrites() ? new VzdProfileValidator(json.context()) : null;
    }

    /** GET /owner/{type}?… */
    @GetMapping("/owner/{type}")
    public ResponseEntity<String> search(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @PathVariable("type") String type, @RequestParam MultiValueMap<String, String> parameters) {
        owner(authorization);
        return json.response(HttpStatus.OK, search.search(type, parameters, baseUrl.current() + "/owner"));
    }

    /** GET /owner/{type}/{id} */
    @GetMapping("/owner/{type}/{id}")
    public ResponseEntity<String> read(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @PathVariable("type") String type, @PathVariable("id") String id) {
        owner(authorization);
        return json.response(HttpStatus.OK, existing(type, id));
    }

    /** POST /owner/{type} — create; the server assigns the id. */
    @PostMapping("/owner/{type}")
    public ResponseEntity<String> create(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @PathVariable("type") String type, @RequestBody(required = false) String body) {
        String owner = owner(authorization);
        FhirSearch.requireType(type);
        Resource resource = json.parse(body, type);
        resource.setId((String) null);
        policy.checkCreate(owner, resource);
        conform(resource);
        Resource stored = directory.put(resource, owner);
        return ResponseEntity.status(HttpStatus.CREATED)
                .location(java.net.URI.create(baseUrl.current() + "/owner/" + type + "/" + stored.getIdElement().getIdPart()))
                .contentType(FhirJson.FHIR_JSON).body(json.encode(stored));
    }

    /** PUT /owner/{type}/{id} — update of an existing own resource. */
    @PutMapping("/owner/{type}/{id}")
    public ResponseEntity<String> update(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @PathVariable("type") String type, @PathVariable("id") String id,
                                         @RequestBody(required = false) String body) {
        String owner = owner(authorization);
        Resource existing = existing(type, id);
        Resource resource = json.parse(body, type);
        if (!id.equals(resource.getIdElement().getIdPart())) {
            throw FhirException.invalid("the resource id must equal the id in the URL");
        }
        policy.checkUpdate(owner, existing, resource);
        conform(resource);
        return json.response(HttpStatus.OK, directory.put(resource, owner));
    }

    /** DELETE /owner/{type}/{id} */
    @DeleteMapping("/owner/{type}/{id}")
    public ResponseEntity<Void> delete(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @PathVariable("type") String type, @PathVariable("id") String id) {
        String owner = owner(authorization);
        policy.checkDelete(owner, existing(type, id));
        directory.delete(type, id);
        return ResponseEntity.noContent().build();
    }

    /**
     * The directory manages meta: the VZD profile of the type and the Origin tag ({@code owner} for new entries, kept
     * for existing ones); then the resource must conform to the profile.
     */
    private void conform(Resource resource) {
        String origin = directory.get(resource.fhirType(), resource.getIdElement().getIdPart() == null ? "" : resource.getIdElement().getIdPart())
                .flatMap(existing -> existing.getMeta().getTag().stream().filter(t -> de.tim.simulators.seed.FhirResources.ORIGIN.equals(t.getSystem())).findFirst())
                .map(org.hl7.fhir.r4.model.Coding::getCode).orElse("owner");
        resource.getMeta().getTag().removeIf(t -> de.tim.simulators.seed.FhirResources.ORIGIN.equals(t.getSystem()));
        resource.getMeta().addTag(de.tim.simulators.seed.FhirResources.ORIGIN, origin, null);
        resource.getMeta().getProfile().clear();
        resource.getMeta().addProfile(de.tim.simulators.seed.FhirResources.PROFILE_BASE + resource.fhirType() + "Directory");
        if (validator != null) {
            java.util.List<String> errors = validator.errors(resource);
            if (!errors.isEmpty()) {
                throw new FhirException(HttpStatus.BAD_REQUEST, "processing", "resource does not conform to the VZD profile: "
                        + String.join("; ", errors.subList(0, Math.min(5, errors.size()))));
            }
        }
    }

    private String owner(String authorization) {
        return VzdTokens.claim(tokens.require(TokenKind.OWNER, authorization), "idNummer");
    }

    private Resource existing(String type, String id) {
        FhirSearch.requireType(type);
        return directory.get(type, id).orElseThrow(() -> FhirException.notFound(type + "/" + id + " not found"));
    }
}
