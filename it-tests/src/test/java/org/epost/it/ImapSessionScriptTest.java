package org.epost.it;

import java.time.Duration;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The Python checks of {@code imap_session.py}, the IMAP client helpers of the ITs (imap_session_test.py: a failure
 * shows the connection's last bytes, bytes written inside a literal included; FETCH 1:n refused while the session
 * does not know a counted message yet is asked again), against fake servers on loopback: no ring needed.
 */
class ImapSessionScriptTest {
    @Test
    void imapSessionHelpersPassTheirChecks() throws Exception {
        Path test = Clients.script("imap_session_test.py");
        Command.run(Path.of("."), Duration.ofMinutes(2), List.of("python3", "-W", "ignore", test.toString()))
            .assertSuccess("imap_session_test.py");
    }
}
