package org.epost.peer.spam;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.mailbox.PostMailboxSessionMapperFactory;
import org.epost.spam.mail.AccountLogFirstContact;
import org.epost.spam.policy.FirstContactChoice;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A user's own first-contact choice, on their home peer: {@code GET /epost/spam/users/{user}/first-contact} →
 * {@code {"user":..., "baseBits":3, "refuse":true, "publishedBits":3}} (null: the peer's configuration; {@code
 * publishedBits}, what their identity block carries as this peer last saw it, null before); {@code PUT
 * .../first-contact/base-bits/{0..8}} and {@code DELETE .../first-contact/base-bits} choose the puzzle's base and
 * publish it in the identity block (200, the new view; 503 when it could not be published); {@code PUT
 * .../first-contact/refuse/{true|false}} and {@code DELETE .../first-contact/refuse} choose whether a first contact
 * without a valid puzzle is refused (bounced) or junked (204). 404 for a user homed on another peer, 400 for a bad
 * value.
 */
public class EpostFirstContactRoutes implements Routes {
    public static final String FIRST_CONTACT_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/first-contact";
    public static final String BASE_BITS_PATH = FIRST_CONTACT_PATH + "/base-bits";
    public static final String REFUSE_PATH = FIRST_CONTACT_PATH + "/refuse";
    private static final long TIMEOUT_SECONDS = 30;

    /** The JSON view of a user's choice; null fields follow the peer. */
    public record View(String user, Integer baseBits, Boolean refuse, Integer publishedBits) {
    }

    private final AccountLogFirstContact choices;
    private final IdentityPuzzleRules rules;
    private final PostMailboxSessionMapperFactory mailboxes;
    private final JsonTransformer jsonTransformer;

    @Inject
    EpostFirstContactRoutes(AccountLogFirstContact choices, IdentityPuzzleRules rules,
                            PostMailboxSessionMapperFactory mailboxes, JsonTransformer jsonTransformer) {
        this.choices = choices;
        this.rules = rules;
        this.mailboxes = mailboxes;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostSpamRoutes.SPAM_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(FIRST_CONTACT_PATH, (request, response) -> view(request, response), jsonTransformer);
        service.put(BASE_BITS_PATH + "/:bits", (request, response) -> {
            OptionalInt bits = OptionalInt.of(bits(request.params("bits")));
            return baseBits(request, response, choice -> choice.withBaseBits(bits));
        }, jsonTransformer);
        service.delete(BASE_BITS_PATH, (request, response) ->
            baseBits(request, response, choice -> choice.withBaseBits(OptionalInt.empty())), jsonTransformer);
        service.put(REFUSE_PATH + "/:refuse", (request, response) -> {
            Optional<Boolean> refuse = Optional.of(refuse(request.params("refuse")));
            return change(request, response, choice -> choice.withRefuse(refuse));
        });
        service.delete(REFUSE_PATH, (request, response) ->
            change(request, response, choice -> choice.withRefuse(Optional.empty())));
    }

    private View view(Request request, Response response) {
        String user = homedHere(request);
        FirstContactChoice choice = choices.of(user);
        response.type("application/json");
        return new View(user, choice.baseBits().isPresent() ? choice.baseBits().getAsInt() : null,
            choice.refuse().orElse(null), rules.seenBits(user).orElse(null));
    }

    private View baseBits(Request request, Response response, UnaryOperator<FirstContactChoice> change)
            throws InterruptedException {
        change(request, response, change);
        String user = request.params("user");
        try {
            rules.republish(user).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw halt(HttpStatus.SERVICE_UNAVAILABLE_503, ErrorResponder.ErrorType.SERVER_ERROR,
                "The choice is kept but the identity of " + user + " was not published: " + e.getMessage());
        }
        response.status(HttpStatus.OK_200);
        return view(request, response);
    }

    private String change(Request request, Response response, UnaryOperator<FirstContactChoice> change) {
        String user = homedHere(request);
        try {
            choices.change(user, change);
        } catch (IllegalArgumentException e) {
            throw halt(HttpStatus.NOT_FOUND_404, ErrorResponder.ErrorType.NOT_FOUND, e.getMessage());
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private String homedHere(Request request) {
        String user = request.params("user");
        if (mailboxes.registry().account(Username.of(user)).isEmpty()) {
            throw halt(HttpStatus.NOT_FOUND_404, ErrorResponder.ErrorType.NOT_FOUND, "user " + user
                + " has no ePOST mailboxes on this peer: their choice is kept on their home peer");
        }
        return user;
    }

    private static int bits(String value) {
        try {
            int bits = Integer.parseInt(value);
            new FirstContactChoice(OptionalInt.of(bits), Optional.empty());
            return bits;
        } catch (IllegalArgumentException e) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT,
                "base bits: " + e.getMessage());
        }
    }

    private static boolean refuse(String value) {
        if (!value.equals("true") && !value.equals("false")) {
            throw halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT,
                "refuse is true or false, not " + value);
        }
        return Boolean.parseBoolean(value);
    }

    private static RuntimeException halt(int status, ErrorResponder.ErrorType type, String message) {
        return ErrorResponder.builder().statusCode(status).type(type).message(message).haltError();
    }
}
