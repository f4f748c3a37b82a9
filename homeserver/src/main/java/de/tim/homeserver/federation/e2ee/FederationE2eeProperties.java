package de.tim.homeserver.federation.e2ee;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * End-to-end encryption and presence over federation: the user endpoints we serve, the remote key cache,
 * and the EDUs {@code m.direct_to_device}, {@code m.device_list_update}, {@code m.signing_key_update},
 * {@code m.presence}.
 *
 * @param deviceDisplayNames  show our devices' display names to other servers ({@code device_display_name}
 *                            in {@code user/devices}, {@code user/keys/query} and device list EDUs); off by
 *                            default, as device names often carry personal data (Synapse's
 *                            {@code allow_device_name_lookup_over_federation})
 * @param remoteQueryTimeout  timeout of a key query or claim forwarded to another server for a local client
 *                            (default 10s; the server then appears in {@code failures})
 * @param remoteCacheMaxAge   a cached device list of a remote user is used at most this long after it was
 *                            fetched (default 1d); device list EDUs update or invalidate it earlier
 * @param presence            send our users' presence to the servers sharing a room with them and accept
 *                            theirs (default true)
 * @param eduRetention        inbound to-device message ids are remembered this long to drop replays
 *                            (default 7d)
 * @param outboundEduMaxAge   to-device messages, device list and signing key updates that a destination did not
 *                            take within this time are dropped (default 7d; a destination gone for good)
 */
@ConfigurationProperties(FederationE2eeProperties.PREFIX)
public record FederationE2eeProperties(Boolean deviceDisplayNames, Duration remoteQueryTimeout, Duration remoteCacheMaxAge,
        Boolean presence, Duration eduRetention, Duration outboundEduMaxAge) {

    public static final String PREFIX = "tim.homeserver.federation.e2ee";

    public FederationE2eeProperties {
        deviceDisplayNames = deviceDisplayNames != null && deviceDisplayNames;
        remoteQueryTimeout = remoteQueryTimeout == null ? Duration.ofSeconds(10) : remoteQueryTimeout;
        remoteCacheMaxAge = remoteCacheMaxAge == null ? Duration.ofDays(1) : remoteCacheMaxAge;
        presence = presence == null || presence;
        eduRetention = eduRetention == null ? Duration.ofDays(7) : eduRetention;
        outboundEduMaxAge = outboundEduMaxAge == null ? Duration.ofDays(7) : outboundEduMaxAge;
    }
}
