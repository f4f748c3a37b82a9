package de.tim.routes.provisioning;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import de.tim.routes.admin.AdminService;
import de.tim.routes.error.ApiException;

/** Messenger-Services of the admin's organisation (AF_10060), for the admin portal. */
@RestController
@RequestMapping(path = "/registration/v1/messenger-services", produces = MediaType.APPLICATION_JSON_VALUE)
public class ProvisioningEndpoints {

    /** Body of POST: the requested domain. */
    public record Order(String domain) {
    }

    private final ProvisioningService provisioning;
    private final AdminService admins;

    public ProvisioningEndpoints(ProvisioningService provisioning, AdminService admins) {
        this.provisioning = provisioning;
        this.admins = admins;
    }

    /** POST /registration/v1/messenger-services {"domain"} → 201 {domain, clientUrl, state}. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    public ProvisioningService.Provisioned order(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                                 @RequestBody(required = false) Order order) {
        var admin = admins.authenticate(authorization);
        if (order == null) {
            throw ApiException.badRequest("a JSON body with domain is required");
        }
        return provisioning.provision(admin, order.domain());
    }

    /** GET /registration/v1/messenger-services → the organisation's services. */
    @GetMapping
    public List<ProvisioningService.Provisioned> list(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return provisioning.servicesOf(admins.authenticate(authorization));
    }
}
