package de.tim.homeserver.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import de.tim.matrix.error.MatrixException;

/** 401 of User-Interactive Authentication: flows, params, session, completed stages, optional error. */
public class UiaRequiredException extends MatrixException {

    private final Map<String, Object> uia;
    private final boolean withError;

    UiaRequiredException(String stage, String session, List<String> completed, String errcode, String error) {
        super(401, errcode == null ? "M_UNAUTHORIZED" : errcode, error == null ? "Additional authentication required" : error);
        this.withError = errcode != null;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flows", List.of(Map.of("stages", List.of(stage))));
        body.put("params", Map.of());
        body.put("session", session);
        if (!completed.isEmpty()) {
            body.put("completed", completed);
        }
        this.uia = body;
    }

    @Override
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (withError) {
            body.put("errcode", errcode());
            body.put("error", getMessage());
        }
        body.putAll(uia);
        return body;
    }
}
