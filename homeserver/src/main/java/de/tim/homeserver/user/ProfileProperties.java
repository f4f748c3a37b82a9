package de.tim.homeserver.user;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Profiles and the user directory.
 *
 * @param requireAuth         profile lookups need an access token, unauthenticated ones get 401 (default true, as TI-M expects)
 * @param allowDisplaynameChange users may change their display name (default true)
 * @param allowAvatarChange   users may change their avatar (default true)
 * @param directoryMaxLimit   largest {@code limit} of a user directory search (default 50)
 */
@ConfigurationProperties(ProfileProperties.PREFIX)
public record ProfileProperties(Boolean requireAuth, Boolean allowDisplaynameChange, Boolean allowAvatarChange,
        Integer directoryMaxLimit) {

    public static final String PREFIX = "tim.homeserver.profile";

    public ProfileProperties {
        requireAuth = requireAuth == null || requireAuth;
        allowDisplaynameChange = allowDisplaynameChange == null || allowDisplaynameChange;
        allowAvatarChange = allowAvatarChange == null || allowAvatarChange;
        directoryMaxLimit = directoryMaxLimit == null ? 50 : directoryMaxLimit;
    }
}
