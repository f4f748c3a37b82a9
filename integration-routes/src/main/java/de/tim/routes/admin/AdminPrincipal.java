package de.tim.routes.admin;

/** An authenticated Org-Admin and the organisation they administer. */
public record AdminPrincipal(String username, String telematikId) {
}
