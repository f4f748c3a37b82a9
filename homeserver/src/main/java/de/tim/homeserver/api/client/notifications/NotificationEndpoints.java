package de.tim.homeserver.api.client.notifications;

import com.fasterxml.jackson.databind.node.ObjectNode;
import de.tim.homeserver.auth.Requester;
import de.tim.homeserver.notification.NotificationProperties;
import de.tim.homeserver.notification.NotificationService;
import de.tim.matrix.error.MatrixException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Spec area "Push notifications: Listing Notifications". */
@RestController
public class NotificationEndpoints {

    private final NotificationService notifications;
    private final NotificationProperties properties;

    NotificationEndpoints(NotificationService notifications, NotificationProperties properties) {
        this.notifications = notifications;
        this.properties = properties;
    }

    /** {@code GET /_matrix/client/v3/notifications} */
    @GetMapping("/_matrix/client/v3/notifications")
    ObjectNode list(Requester requester, @RequestParam(required = false) String from,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String only) {
        Integer parsedLimit = null;
        if (limit != null) {
            try {
                parsedLimit = Integer.valueOf(limit);
            } catch (NumberFormatException e) {
                throw MatrixException.invalidParam("limit must be an integer");
            }
        }
        return notifications.list(requester.domain(), requester.userId(), from, parsedLimit, only, properties.maxLimit());
    }
}
