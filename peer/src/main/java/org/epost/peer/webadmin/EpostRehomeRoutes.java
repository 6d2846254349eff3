package org.epost.peer.webadmin;

import java.time.Instant;
import java.util.Base64;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.peer.accounts.Rehoming;
import org.epost.post.accounts.Account;
import org.epost.post.accounts.AccountException;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Re-homing a user on this peer (the NEW home) after the old home's disk was lost:
 * <ul>
 *   <li>{@code POST /epost/users/{user}/rehome/requests} → 201 {@code {"address":..,"request":"<base64>",
 *       "expires":..}}: the signed request to hand to {@code epost-admin recover-user} (offline, recovery key);</li>
 *   <li>{@code POST /epost/users/{user}/rehome} with {@code {"keys":"<base64 from recover-user>","password":".."}}
 *       → 200 {@code {"address":..,"homeNodeId":..,"homeAddress":..,"identityVersion":..}}: the user is homed here
 *       (the password becomes its James password here, unless it is a James user of this peer already).</li>
 * </ul>
 * Refusals: 400 with the reason (keys sealed to another request or tampered, not the certified keys, no pending
 * request, bad body), 404 when the user has no recovery envelope, 409 when it is homed here already.
 */
public class EpostRehomeRoutes implements Routes {
    public static final String REQUESTS_PATH = EpostStatusRoutes.BASE_PATH + "/users/:user/rehome/requests";
    public static final String REHOME_PATH = EpostStatusRoutes.BASE_PATH + "/users/:user/rehome";

    public record RequestAnswer(String address, String request, String expires) {
    }

    public record RehomeBody(String keys, String password) {
    }

    public record RehomeAnswer(String address, String homeNodeId, String homeAddress, long identityVersion) {
    }

    private final Rehoming rehoming;
    private final JsonTransformer jsonTransformer;
    private final JsonExtractor<RehomeBody> bodies = new JsonExtractor<>(RehomeBody.class);

    @Inject
    public EpostRehomeRoutes(Rehoming rehoming, JsonTransformer jsonTransformer) {
        this.rehoming = rehoming;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostStatusRoutes.BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.post(REQUESTS_PATH, this::request, jsonTransformer);
        service.post(REHOME_PATH, this::rehome, jsonTransformer);
    }

    private RequestAnswer request(Request request, Response response) throws Exception {
        String user = request.params("user");
        try {
            byte[] signed = rehoming.request(user);
            response.status(HttpStatus.CREATED_201);
            response.type("application/json");
            return new RequestAnswer(user.toLowerCase(java.util.Locale.ROOT), Base64.getEncoder().encodeToString(signed),
                Instant.now().plusSeconds(60 * 60).toString());
        } catch (Rehoming.RehomeException e) {
            throw refusal(e, e.getMessage().startsWith("no recovery envelope") ? HttpStatus.NOT_FOUND_404 : 0);
        } catch (AccountException e) {
            throw e.reason() == AccountException.Reason.NOT_FOUND
                ? halt(HttpStatus.NOT_FOUND_404, ErrorResponder.ErrorType.NOT_FOUND, e.getMessage())
                : halt(HttpStatus.BAD_GATEWAY_502, ErrorResponder.ErrorType.SERVER_ERROR,
                    "The ring could not answer: " + e.getMessage());
        }
    }

    private RehomeAnswer rehome(Request request, Response response) throws Exception {
        String user = request.params("user");
        RehomeBody body;
        byte[] keys;
        try {
            body = bodies.parse(request.body());
            keys = Base64.getDecoder().decode(body.keys() == null ? "" : body.keys().trim());
        } catch (JsonExtractException | IllegalArgumentException e) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT,
                "Expected {\"keys\":\"<base64 from epost-admin recover-user>\",\"password\":\"...\"}: " + e.getMessage());
        }
        try {
            Account account = rehoming.complete(user, keys, body.password());
            response.type("application/json");
            return new RehomeAnswer(account.address(), account.identity().home().id().toHex(),
                account.identity().home().address(), account.identity().version());
        } catch (Rehoming.RehomeException e) {
            throw refusal(e, 0);
        } catch (AccountException e) {
            throw halt(HttpStatus.BAD_GATEWAY_502, ErrorResponder.ErrorType.SERVER_ERROR,
                "The ring could not complete the re-home: " + e.getMessage());
        }
    }

    private static RuntimeException refusal(Rehoming.RehomeException e, int status) {
        if (status == HttpStatus.NOT_FOUND_404) {
            return halt(status, ErrorResponder.ErrorType.NOT_FOUND, e.getMessage());
        }
        return e.conflict()
            ? halt(HttpStatus.CONFLICT_409, ErrorResponder.ErrorType.WRONG_STATE, e.getMessage())
            : halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT, e.getMessage());
    }

    private static RuntimeException halt(int status, ErrorResponder.ErrorType type, String message) {
        return ErrorResponder.builder().statusCode(status).type(type).message(message).haltError();
    }
}
