package de.tim.matrix.error;

/** The Matrix {@code errcode} values used by this project (client-server API, "Standard error response"). */
public final class MatrixErrorCodes {

    public static final String M_FORBIDDEN = "M_FORBIDDEN";
    public static final String M_UNKNOWN_TOKEN = "M_UNKNOWN_TOKEN";
    public static final String M_MISSING_TOKEN = "M_MISSING_TOKEN";
    public static final String M_BAD_JSON = "M_BAD_JSON";
    public static final String M_NOT_JSON = "M_NOT_JSON";
    public static final String M_NOT_FOUND = "M_NOT_FOUND";
    public static final String M_LIMIT_EXCEEDED = "M_LIMIT_EXCEEDED";
    public static final String M_UNRECOGNIZED = "M_UNRECOGNIZED";
    public static final String M_UNKNOWN = "M_UNKNOWN";
    public static final String M_UNAUTHORIZED = "M_UNAUTHORIZED";
    public static final String M_USER_DEACTIVATED = "M_USER_DEACTIVATED";
    public static final String M_USER_IN_USE = "M_USER_IN_USE";
    public static final String M_INVALID_USERNAME = "M_INVALID_USERNAME";
    public static final String M_ROOM_IN_USE = "M_ROOM_IN_USE";
    public static final String M_INVALID_ROOM_STATE = "M_INVALID_ROOM_STATE";
    public static final String M_UNSUPPORTED_ROOM_VERSION = "M_UNSUPPORTED_ROOM_VERSION";
    public static final String M_INCOMPATIBLE_ROOM_VERSION = "M_INCOMPATIBLE_ROOM_VERSION";
    public static final String M_BAD_STATE = "M_BAD_STATE";
    public static final String M_GUEST_ACCESS_FORBIDDEN = "M_GUEST_ACCESS_FORBIDDEN";
    public static final String M_MISSING_PARAM = "M_MISSING_PARAM";
    public static final String M_INVALID_PARAM = "M_INVALID_PARAM";
    public static final String M_TOO_LARGE = "M_TOO_LARGE";
    public static final String M_EXCLUSIVE = "M_EXCLUSIVE";
    public static final String M_RESOURCE_LIMIT_EXCEEDED = "M_RESOURCE_LIMIT_EXCEEDED";
    public static final String M_CANNOT_LEAVE_SERVER_NOTICE_ROOM = "M_CANNOT_LEAVE_SERVER_NOTICE_ROOM";
    public static final String M_WEAK_PASSWORD = "M_WEAK_PASSWORD";
    public static final String M_THREEPID_DENIED = "M_THREEPID_DENIED";
    public static final String M_SERVER_NOT_TRUSTED = "M_SERVER_NOT_TRUSTED";
    public static final String M_UNABLE_TO_AUTHORISE_JOIN = "M_UNABLE_TO_AUTHORISE_JOIN";
    public static final String M_UNABLE_TO_GRANT_JOIN = "M_UNABLE_TO_GRANT_JOIN";

    private MatrixErrorCodes() {
    }
}
