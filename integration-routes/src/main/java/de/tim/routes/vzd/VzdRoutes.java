package de.tim.routes.vzd;

/** Endpoint names of the VZD routes, for {@link VzdClient} and tests. */
public final class VzdRoutes {

    public static final String OAUTH_TOKEN = "direct:vzd-oauth-token";
    public static final String PROVIDER_AUTHENTICATE = "direct:vzd-provider-authenticate";
    public static final String FEDERATION_LIST = "direct:vzd-federation-list";
    public static final String WHERE_IS = "direct:vzd-where-is";
    public static final String FEDERATION_CHECK = "direct:vzd-federation-check";
    public static final String ADD_DOMAIN = "direct:vzd-add-domain";
    public static final String DELETE_DOMAIN = "direct:vzd-delete-domain";

    /** Route configuration for idempotent VZD calls: retried with exponential backoff. */
    public static final String IDEMPOTENT = "vzd-idempotent";

    private VzdRoutes() {
    }
}
