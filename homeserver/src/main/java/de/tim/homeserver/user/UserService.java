package de.tim.homeserver.user;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.mongodb.client.model.Updates;
import de.tim.homeserver.device.DeviceService;
import de.tim.homeserver.domain.Domain;
import de.tim.homeserver.id.MatrixIds;
import de.tim.matrix.error.MatrixErrorCodes;
import de.tim.matrix.error.MatrixException;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Service;

/** Local user accounts: creation, passwords, profile fields, admin flag, deactivation, listing and search. */
@Service
public class UserService {

    private final UserRepository repository;
    private final PasswordHasher hasher;
    private final DeviceService devices;
    private final List<UserDeactivationListener> deactivationListeners;
    private final List<ProfileChangeListener> profileListeners;

    UserService(UserRepository repository, PasswordHasher hasher, DeviceService devices,
            List<UserDeactivationListener> deactivationListeners, List<ProfileChangeListener> profileListeners) {
        this.profileListeners = List.copyOf(profileListeners);
        this.repository = repository;
        this.hasher = hasher;
        this.devices = devices;
        this.deactivationListeners = List.copyOf(deactivationListeners);
    }

    /** One page of users for the admin API. */
    public record Page(List<User> users, long total) {
    }

    /** Creates a user; 400 M_USER_IN_USE if taken, M_INVALID_USERNAME for a bad localpart. */
    public User create(Domain domain, String localpart, String password, String displayname, boolean admin, String userType) {
        if (!MatrixIds.isValidNewLocalpart(localpart, domain.serverName())) {
            throw new MatrixException(400, MatrixErrorCodes.M_INVALID_USERNAME, "Invalid username");
        }
        String userId = domain.userId(localpart);
        String name = displayname != null ? displayname : localpart;
        Document doc = new Document("_id", userId).append("localpart", localpart)
                .append("localpart_lc", localpart.toLowerCase(Locale.ROOT))
                .append("displayname", name).append("displayname_lc", name.toLowerCase(Locale.ROOT))
                .append("avatar_url", null).append("admin", admin).append("deactivated", false).append("erased", false)
                .append("user_type", userType).append("creation_ts", System.currentTimeMillis())
                .append("password_hash", password == null ? null : hasher.hash(password));
        if (!repository.insert(domain.database(), doc)) {
            throw new MatrixException(400, MatrixErrorCodes.M_USER_IN_USE, "User ID already taken");
        }
        return toUser(doc);
    }

    public Optional<User> find(Domain domain, String userId) {
        return Optional.ofNullable(repository.find(domain.database(), userId)).map(UserService::toUser);
    }

    /** The user, or 404 M_NOT_FOUND. */
    public User require(Domain domain, String userId) {
        return find(domain, userId).orElseThrow(() -> MatrixException.notFound("User not found"));
    }

    public boolean exists(Domain domain, String localpart) {
        return repository.find(domain.database(), domain.userId(localpart)) != null;
    }

    public boolean isAdmin(Domain domain, String userId) {
        return find(domain, userId).map(u -> u.admin() && !u.deactivated()).orElse(false);
    }

    /** Verifies a password in constant-ish time, also for unknown users. Deactivated users never pass. */
    public boolean checkPassword(Domain domain, String userId, String password) {
        Document doc = repository.find(domain.database(), userId);
        String hash = doc == null || Boolean.TRUE.equals(doc.getBoolean("deactivated")) ? null : doc.getString("password_hash");
        return hasher.verify(password, hash);
    }

    /** Sets a new password; with {@code logoutDevices} all devices except {@code keepDeviceId} are removed. */
    public void setPassword(Domain domain, String userId, String password, boolean logoutDevices, String keepDeviceId) {
        if (!repository.update(domain.database(), userId, Updates.set("password_hash", hasher.hash(password)))) {
            throw MatrixException.notFound("User not found");
        }
        if (logoutDevices) {
            devices.deleteAll(domain, userId, keepDeviceId);
        }
    }

    public void setDisplayname(Domain domain, String userId, String displayname) {
        update(domain, userId, Updates.combine(Updates.set("displayname", displayname),
                Updates.set("displayname_lc", displayname == null ? null : displayname.toLowerCase(Locale.ROOT))));
        profileChanged(domain, userId);
    }

    public void setAvatarUrl(Domain domain, String userId, String avatarUrl) {
        update(domain, userId, Updates.set("avatar_url", avatarUrl));
        profileChanged(domain, userId);
    }

    private void profileChanged(Domain domain, String userId) {
        if (profileListeners.isEmpty()) {
            return;
        }
        User user = require(domain, userId);
        for (ProfileChangeListener listener : profileListeners) {
            listener.profileChanged(domain, userId, user.displayname(), user.avatarUrl());
        }
    }

    public void setAdmin(Domain domain, String userId, boolean admin) {
        update(domain, userId, Updates.set("admin", admin));
    }

    public void setUserType(Domain domain, String userId, String userType) {
        update(domain, userId, Updates.set("user_type", userType));
    }

    /** Re-activates a deactivated account (admin API); a password must be set separately. */
    public void reactivate(Domain domain, String userId) {
        update(domain, userId, Updates.combine(Updates.set("deactivated", false), Updates.set("erased", false)));
    }

    /**
     * Deactivates: removes the password, all devices and tokens, optionally erases the profile, then
     * tells the listeners (rooms: leave all rooms). An erased profile is announced after the rooms were
     * left (so no member event repeats it), which drops its avatar's media reference. Idempotent.
     */
    public void deactivate(Domain domain, String userId, boolean erase) {
        Bson update = Updates.combine(Updates.set("deactivated", true), Updates.set("password_hash", null));
        if (erase) {
            update = Updates.combine(update, Updates.set("erased", true), Updates.set("displayname", null),
                    Updates.set("displayname_lc", null), Updates.set("avatar_url", null));
        }
        update(domain, userId, update);
        devices.deleteAll(domain, userId, null);
        for (UserDeactivationListener listener : deactivationListeners) {
            listener.userDeactivated(domain, userId, erase);
        }
        if (erase) {
            profileChanged(domain, userId);
        }
    }

    public Page list(Domain domain, int from, int limit, String name, boolean includeDeactivated) {
        List<User> users = repository.page(domain.database(), from, limit, name, includeDeactivated).stream()
                .map(UserService::toUser).toList();
        return new Page(users, repository.count(domain.database(), name, includeDeactivated));
    }

    /** Directory search in this domain: case-insensitive substring of localpart or display name. */
    public List<User> search(Domain domain, String term, int limit) {
        return repository.search(domain.database(), term, limit).stream().map(UserService::toUser).toList();
    }

    private void update(Domain domain, String userId, Bson update) {
        if (!repository.update(domain.database(), userId, update)) {
            throw MatrixException.notFound("User not found");
        }
    }

    private static User toUser(Document doc) {
        return new User(doc.getString("_id"), doc.getString("localpart"), doc.getString("displayname"),
                doc.getString("avatar_url"), Boolean.TRUE.equals(doc.getBoolean("admin")),
                Boolean.TRUE.equals(doc.getBoolean("deactivated")), Boolean.TRUE.equals(doc.getBoolean("erased")),
                doc.getString("user_type"), doc.get("creation_ts", 0L), doc.getString("password_hash") != null);
    }
}
