package de.tim.routes.vzdowner;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.admin.AdminService;
import de.tim.routes.error.ApiException;

/** The organisation's VZD entries for the admin portal (AF_10059). */
@RestController
@RequestMapping(path = "/registration/v1/vzd", produces = MediaType.APPLICATION_JSON_VALUE)
public class VzdOwnerEndpoints {

    /** Body of POST healthcare-services. */
    public record NewHealthcareService(String name) {
    }

    /** Body of POST endpoints: an MXID and, for functional accounts, a name. */
    public record NewEndpoint(String mxid, String name) {
    }

    private final VzdOwnerService owner;
    private final AdminService admins;

    public VzdOwnerEndpoints(VzdOwnerService owner, AdminService admins) {
        this.owner = owner;
        this.admins = admins;
    }

    /** GET /registration/v1/vzd/healthcare-services */
    @GetMapping("/healthcare-services")
    public List<VzdOwnerService.Entry> list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return owner.healthcareServices(admins.authenticate(authorization));
    }

    /** POST /registration/v1/vzd/healthcare-services {"name"} */
    @PostMapping(path = "/healthcare-services", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public VzdOwnerService.Entry create(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                        @RequestBody(required = false) NewHealthcareService body) {
        var admin = admins.authenticate(authorization);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with name is required");
        }
        return owner.createHealthcareService(admin, body.name());
    }

    /** POST /registration/v1/vzd/healthcare-services/{id}/endpoints {"mxid","name"} */
    @PostMapping(path = "/healthcare-services/{id}/endpoints", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public VzdOwnerService.Entry addEndpoint(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                             @PathVariable("id") String id, @RequestBody(required = false) NewEndpoint body) {
        var admin = admins.authenticate(authorization);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with mxid is required");
        }
        return owner.addEndpoint(admin, id, body.mxid(), body.name());
    }

    /** DELETE /registration/v1/vzd/{type}/{id} (HealthcareService or Endpoint) */
    @DeleteMapping("/{type}/{id}")
    public ResponseEntity<Void> delete(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                       @PathVariable("type") String type, @PathVariable("id") String id) {
        owner.delete(admins.authenticate(authorization), type, id);
        return ResponseEntity.noContent().build();
    }
}
