package org.epost.peer.spam;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import javax.inject.Inject;
import javax.inject.Named;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.spam.mail.AccountLogFollowedLists;
import org.epost.spam.mail.AccountTeamLists;
import org.epost.spam.policy.BlockList;
import org.epost.spam.policy.ListRef;
import org.epost.spam.policy.Sender;
import org.epost.spam.policy.TeamBlockLists;
import org.epost.spam.policy.TeamRoster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Service;

/**
 * Team lists: block lists several users edit (see {@link TeamRoster}).
 * <ul>
 *   <li>{@code PUT /epost/spam/users/{owner}/teams/{team}} on the owner's home peer stores the next version of the
 *       roster, signed with the owner's key: the body's {@code {"editors":[...]}}, or without a body the owner alone;
 *       {@code PUT} / {@code DELETE .../teams/{team}/editors/{editor}} adds or removes one editor. 200 with the
 *       roster and its version.</li>
 *   <li>{@code PUT} / {@code DELETE /epost/spam/users/{editor}/team-entries/{owner}/{team}/{entry}} on the editor's
 *       home peer adds or removes an address or {@code @domain} in the editor's own part, signed with their key; 200
 *       with the part and its version. It counts only while the owner's roster names the editor.</li>
 *   <li>{@code GET /epost/spam/teams/{owner}/{team}} (any peer): the team as looked up now, the roster version, each
 *       named editor's part (version, entries, problem) and the merged entries.</li>
 *   <li>{@code GET /epost/spam/users/{user}/following-teams}: the team lists the user follows, as their home peer
 *       holds them; {@code PUT} / {@code DELETE .../following-teams/{owner}/{team}} follow or unfollow, 204.</li>
 * </ul>
 * 404 for a user homed on another peer, 400 for a bad name, entry or address or too many editors, 409 past the most
 * team lists a user may follow, 503 when PAST did not store a version.
 */
public class EpostSpamTeamRoutes implements Routes {
    public static final String ROSTER_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/teams/:list";
    public static final String EDITOR_PATH = ROSTER_PATH + "/editors/:editor";
    public static final String ENTRY_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/team-entries/:publisher/:list"
        + "/:entry";
    public static final String TEAM_PATH = EpostSpamRoutes.SPAM_PATH + "/teams/:publisher/:list";
    public static final String FOLLOWING_PATH = EpostSpamRoutes.SPAM_PATH + "/users/:user/following-teams";
    public static final String FOLLOWED_PATH = FOLLOWING_PATH + "/:publisher/:list";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A roster as stored. */
    public record RosterBody(String owner, String team, long version, List<String> editors) {
    }

    /** An editor's part as stored, or as a follower's peer holds it ({@code problem} null when there is none). */
    public record PartBody(String editor, long version, List<String> entries, String problem) {
    }

    /** A team as a peer holds it. */
    public record TeamBody(String owner, String team, long rosterVersion, List<PartBody> editors,
                           List<String> entries, String problem) {
    }

    /** The team lists a user follows. */
    public record Following(String user, List<TeamBody> following) {
    }

    private final AccountTeamLists teams;
    private final AccountLogFollowedLists following;
    private final TeamBlockLists held;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostSpamTeamRoutes(AccountTeamLists teams, @Named("teams") AccountLogFollowedLists following,
                               TeamBlockLists held, JsonTransformer jsonTransformer) {
        this.teams = teams;
        this.following = following;
        this.held = held;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return EpostSpamRoutes.SPAM_PATH;
    }

    @Override
    public void define(Service service) {
        service.put(ROSTER_PATH, (request, response) -> {
            ListRef team = team(request, "user");
            List<String> editors = editors(request.body(), team.publisher());
            return roster(team, roster -> TeamRoster.of(team, editors));
        }, jsonTransformer);
        service.put(EDITOR_PATH, (request, response) -> {
            String editor = address(request.params("editor")); // checked here: a bad one is a 400
            return roster(team(request, "user"), roster -> roster.with(editor));
        }, jsonTransformer);
        service.delete(EDITOR_PATH, (request, response) -> {
            String editor = address(request.params("editor"));
            return roster(team(request, "user"), roster -> roster.without(editor));
        }, jsonTransformer);
        service.put(ENTRY_PATH, (request, response) -> {
            String entry = entry(request);
            return entries(request, list -> list.with(entry));
        }, jsonTransformer);
        service.delete(ENTRY_PATH, (request, response) -> {
            String entry = entry(request);
            return entries(request, list -> list.without(entry));
        }, jsonTransformer);
        service.get(TEAM_PATH, (request, response) -> body(EpostSpamListRoutes.await(
            () -> held.refresh(team(request, "publisher")), "looked up")), jsonTransformer);
        service.get(FOLLOWING_PATH, (request, response) -> {
            String user = request.params("user");
            List<TeamBody> lists = new ArrayList<>();
            for (ListRef team : following.following(user).lists()) {
                held.get(team); // looks it up again when due, as a delivery would
                lists.add(body(held.status(team)));
            }
            return new Following(user, lists);
        }, jsonTransformer);
        service.put(FOLLOWED_PATH, (request, response) -> EpostSpamListRoutes.follow(following, request, response,
            true));
        service.delete(FOLLOWED_PATH, (request, response) -> EpostSpamListRoutes.follow(following, request, response,
            false));
    }

    private RosterBody roster(ListRef team, UnaryOperator<TeamRoster> change) throws InterruptedException {
        TeamBlockLists.Stored<TeamRoster> done = EpostSpamListRoutes.await(() -> teams.changeRoster(team, change),
            "stored");
        return new RosterBody(team.publisher(), team.name(), done.version(), List.copyOf(done.value().editors()));
    }

    private PartBody entries(Request request, UnaryOperator<BlockList> change) throws InterruptedException {
        String editor = address(request.params("user"));
        ListRef team = team(request, "publisher");
        TeamBlockLists.Stored<BlockList> done = EpostSpamListRoutes.await(
            () -> teams.changeEntries(editor, team, change), "stored");
        return new PartBody(editor, done.version(), List.copyOf(done.value().entries()), null);
    }

    private static TeamBody body(TeamBlockLists.Status status) {
        List<PartBody> parts = status.editors().stream().map(part -> new PartBody(part.editor(), part.version(),
            List.copyOf(part.list().entries()), part.problem().orElse(null))).toList();
        return new TeamBody(status.team().publisher(), status.team().name(), status.rosterVersion(), parts,
            List.copyOf(status.list().entries()), status.problem().orElse(null));
    }

    private static ListRef team(Request request, String owner) {
        return EpostSpamListRoutes.ref(request.params(owner), request.params("list"));
    }

    private static String entry(Request request) {
        try {
            return BlockList.entry(request.params("entry"));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    private static String address(String address) {
        try {
            return Sender.normalize(address);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /** The body's {@code editors}; the owner alone without a body. */
    private static List<String> editors(String body, String owner) {
        if (body == null || body.isBlank()) {
            return List.of(owner);
        }
        try {
            JsonNode editors = JSON.readTree(body).get("editors");
            if (editors == null || !editors.isArray()) {
                throw new IllegalArgumentException("the body is {\"editors\":[address...]}");
            }
            List<String> read = new ArrayList<>();
            editors.forEach(editor -> read.add(address(editor.asText())));
            return read;
        } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw badRequest(e.getMessage());
        }
    }

    private static RuntimeException badRequest(String message) {
        return EpostSpamListRoutes.halt(HttpStatus.BAD_REQUEST_400, ErrorResponder.ErrorType.INVALID_ARGUMENT,
            message);
    }
}
