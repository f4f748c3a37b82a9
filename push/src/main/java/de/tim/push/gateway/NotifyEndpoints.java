package de.tim.push.gateway;

import java.util.List;
import java.util.Map;

import de.tim.kafka.topics.PushNotificationRecord.Notification;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The Matrix Push Gateway API. */
@RestController
@ConditionalOnProperty(prefix = PushGatewayProperties.PREFIX, name = "enabled", matchIfMissing = true)
class NotifyEndpoints {

    private final NotifyRequestParser parser;
    private final NotifyService service;

    NotifyEndpoints(NotifyRequestParser parser, NotifyService service) {
        this.parser = parser;
        this.service = service;
    }

    /** {@code POST /_matrix/push/v1/notify}: notify the devices; answers the rejected pushkeys. */
    @PostMapping(path = "/_matrix/push/v1/notify", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, List<String>> notify(@RequestBody(required = false) byte[] body) {
        Notification notification = parser.parse(body);
        return Map.of("rejected", service.notify(notification));
    }
}
