package org.epost.peer.webadmin;

import java.util.Locale;
import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.Username;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.epost.interop.migration.LegacySource;
import org.epost.interop.migration.MigrationException;
import org.epost.interop.migration.MigrationRequest;
import org.epost.interop.migration.MigrationTask;
import org.epost.interop.migration.Migrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Service;

/**
 * {@code POST /epost/migrations} starts the migration of a user of this peer from the legacy IMAP server as a James
 * task and answers {@code 201 {"taskId": "..."}}; James's {@code GET /tasks/{taskId}} (and {@code /await}) show its
 * progress. Body: {@code {"user": "...", "source": {"host": "...", "port": 143, "tls": "none|starttls|implicit",
 * "login": "...", "password": "..."}, "dryRun": false, "messagesPerSecond": 0, "switchRoute": true}} (the last three
 * optional). The legacy login is tried before the task is accepted: wrong credentials or an unreachable server are a
 * 400 with the reason, an unknown user a 404, a migration of the same user still running a 409.
 */
public class EpostMigrationRoutes implements Routes {
    public static final String BASE = EpostStatusRoutes.BASE_PATH + "/migrations";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Migrations migrations;
    private final TaskManager tasks;
    private final UsersRepository users;
    private final JsonTransformer jsonTransformer;

    @Inject
    public EpostMigrationRoutes(Migrations migrations, TaskManager tasks, UsersRepository users,
                                JsonTransformer jsonTransformer) {
        this.migrations = migrations;
        this.tasks = tasks;
        this.users = users;
        this.jsonTransformer = jsonTransformer;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        service.post(BASE, (request, response) -> {
            MigrationRequest migration = request(request);
            if (!users.contains(Username.of(migration.user()))) {
                throw EpostRouteRoutes.notFound("unknown user " + migration.user() + " (add the user to this peer first)");
            }
            MigrationTask task;
            try {
                task = migrations.prepare(migration);
            } catch (MigrationException e) {
                throw ErrorResponder.builder()
                    .statusCode(switch (e.reason()) {
                        case BAD_REQUEST -> HttpStatus.BAD_REQUEST_400;
                        case ALREADY_RUNNING -> HttpStatus.CONFLICT_409;
                        case FAILED -> HttpStatus.INTERNAL_SERVER_ERROR_500;
                    })
                    .type(e.reason() == MigrationException.Reason.ALREADY_RUNNING ? ErrorResponder.ErrorType.WRONG_STATE
                        : ErrorResponder.ErrorType.INVALID_ARGUMENT)
                    .message(e.getMessage())
                    .haltError();
            }
            TaskId id = tasks.submit(task);
            response.status(HttpStatus.CREATED_201);
            response.header("Location", "/tasks/" + id.asString());
            response.type("application/json");
            return Map.of("taskId", id.asString());
        }, jsonTransformer);
    }

    private static MigrationRequest request(Request request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (Exception e) {
            throw EpostRouteRoutes.badRequest("the body is not JSON: " + e.getMessage());
        }
        if (body == null || !body.isObject() || !body.path("source").isObject()) {
            throw EpostRouteRoutes.badRequest("the body must be {\"user\": \"...\", \"source\": {\"host\": \"...\", "
                + "\"port\": 143, \"tls\": \"none|starttls|implicit\", \"login\": \"...\", \"password\": \"...\"}}");
        }
        JsonNode source = body.path("source");
        try {
            if (!source.path("port").isInt()) {
                throw new IllegalArgumentException("source.port must be a number");
            }
            LegacySource.Tls tls;
            try {
                tls = LegacySource.Tls.valueOf(source.path("tls").asText("none").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("source.tls must be none, starttls or implicit");
            }
            LegacySource legacy = new LegacySource(source.path("host").asText(""), source.path("port").asInt(), tls,
                text(source, "login"), source.hasNonNull("password") ? source.get("password").asText() : null);
            if (body.has("messagesPerSecond") && !body.get("messagesPerSecond").isNumber()) {
                throw new IllegalArgumentException("messagesPerSecond must be a number");
            }
            return new MigrationRequest(text(body, "user").toLowerCase(Locale.ROOT), legacy,
                body.path("dryRun").asBoolean(false), body.path("messagesPerSecond").asDouble(0),
                body.path("switchRoute").asBoolean(true));
        } catch (IllegalArgumentException e) {
            throw EpostRouteRoutes.badRequest(e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : "";
    }
}
