package org.epost.peer.webadmin;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.spam.mail.AccountLogBlockLists;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.SpamCounters;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * A user's personal block list on their home peer, the one junk learning fills: {@code GET
 * /epost/spam/users/{user}/blocked} lists it, {@code PUT .../blocked/{entry}} adds an address or {@code @domain},
 * {@code DELETE .../blocked/{entry}} removes it (204 either way). {@code GET /epost/spam/counters}: what the defences
 * did since start. A user without mailboxes on this peer is a 404 (their list is kept on their home peer), an entry
 * that is no address or {@code @domain} a 400.
 */
public class EpostSpamRoutes implements Routes {
    public static final String SPAM_PATH = EpostStatusRoutes.BASE_PATH + "/spam";
    public static final String BLOCKED_PATH = SPAM_PATH + "/users/:user/blocked";
    public static final String ENTRY_PATH = BLOCKED_PATH + "/:entry";
    public static final String COUNTERS_PATH = SPAM_PATH + "/counters";

    /** The JSON body of a user's list. */
    public record Blocked(String user, List<String> entries) {
    }

    private final AccountLogBlockLists lists;
    private final SpamCounters counters;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostSpamRoutes(AccountLogBlockLists lists, SpamCounters counters, JsonTransformer jsonTransformer) {
        this.lists = lists;
        this.counters = counters;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return SPAM_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BLOCKED_PATH, (request, response) -> {
            response.type("application/json");
            String user = request.params("user");
            return new Blocked(user, List.copyOf(lists.of(user).entries()));
        }, jsonTransformer);
        service.put(ENTRY_PATH, (request, response) -> change(request, response, true));
        service.delete(ENTRY_PATH, (request, response) -> change(request, response, false));
        service.get(COUNTERS_PATH, (request, response) -> {
            response.type("application/json");
            return counters.snapshot();
        }, jsonTransformer);
    }

    private String change(Request request, Response response, boolean block) {
        String user = request.params("user");
        String entry;
        try {
            entry = BlockList.entry(request.params("entry"));
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.BAD_REQUEST_400)
                .type(ErrorResponder.ErrorType.INVALID_ARGUMENT)
                .message("A block list entry is an address or @domain: " + e.getMessage())
                .haltError();
        }
        try {
            if (block) {
                lists.block(user, entry);
            } else {
                lists.unblock(user, entry);
            }
        } catch (IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.NOT_FOUND_404)
                .type(ErrorResponder.ErrorType.NOT_FOUND)
                .message(e.getMessage())
                .haltError();
        }
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }
}
