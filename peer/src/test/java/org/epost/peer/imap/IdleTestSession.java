package org.epost.peer.imap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLSession;

import org.apache.james.imap.api.ImapSessionState;
import org.apache.james.imap.api.process.ImapLineHandler;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.protocols.api.OidcSASLConfiguration;

import reactor.core.publisher.Mono;

/**
 * The IMAP session of the IDLE tests: a logged-in session with a selected mailbox. What Netty does is done by the
 * test: it hands lines to the pushed line handler ({@link #sendLine}) and runs the scheduled tasks ({@link #scheduled}).
 */
final class IdleTestSession implements ImapSession {
    private final SessionId id = SessionId.generate();
    private final Map<String, Object> attributes = new HashMap<>();
    private final List<ImapLineHandler> lineHandlers = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private SelectedMailbox selected;
    private ImapSessionState state = ImapSessionState.AUTHENTICATED;

    IdleTestSession(MailboxSession mailboxSession) {
        setMailboxSession(mailboxSession);
    }

    /** The client sends {@code line} (CRLF added) while a line handler is pushed, as Netty's decoder would. */
    synchronized void sendLine(String line) {
        if (lineHandlers.isEmpty()) {
            throw new IllegalStateException("no line handler: the line would be read as a command");
        }
        lineHandlers.get(lineHandlers.size() - 1).onLine(this, (line + "\r\n").getBytes());
    }

    synchronized boolean readsCommands() {
        return lineHandlers.isEmpty();
    }

    /** The tasks scheduled so far, in order (the IDLE heartbeat). */
    synchronized List<Runnable> scheduled() {
        return List.copyOf(scheduled);
    }

    @Override
    public SessionId sessionId() {
        return id;
    }

    @Override
    public Mono<Void> logout() {
        return Mono.fromRunnable(() -> state = ImapSessionState.LOGOUT);
    }

    @Override
    public ImapSessionState getState() {
        return state;
    }

    @Override
    public void authenticated() {
        state = ImapSessionState.AUTHENTICATED;
    }

    @Override
    public Mono<Void> selected(SelectedMailbox mailbox) {
        return Mono.fromRunnable(() -> {
            selected = mailbox;
            state = ImapSessionState.SELECTED;
        });
    }

    @Override
    public Mono<Void> deselect() {
        return Mono.fromRunnable(() -> {
            selected = null;
            state = ImapSessionState.AUTHENTICATED;
        });
    }

    @Override
    public SelectedMailbox getSelected() {
        return selected;
    }

    @Override
    public synchronized Object getAttribute(String key) {
        return attributes.get(key);
    }

    @Override
    public synchronized void setAttribute(String key, Object value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
    }

    @Override
    public boolean startTLS(Runnable runnable) {
        return false;
    }

    @Override
    public boolean isTLSActive() {
        return true;
    }

    @Override
    public boolean supportStartTLS() {
        return false;
    }

    @Override
    public Optional<SSLSession> getSSLSession() {
        return Optional.empty();
    }

    @Override
    public boolean isCompressionActive() {
        return false;
    }

    @Override
    public boolean isCompressionSupported() {
        return false;
    }

    @Override
    public boolean startCompression(Runnable runnable) {
        return false;
    }

    @Override
    public synchronized void pushLineHandler(ImapLineHandler lineHandler) {
        lineHandlers.add(lineHandler);
    }

    @Override
    public synchronized void popLineHandler() {
        lineHandlers.remove(lineHandlers.size() - 1);
    }

    @Override
    public boolean supportMultipleNamespaces() {
        return false;
    }

    @Override
    public boolean isSSLRequired() {
        return false;
    }

    @Override
    public boolean isPlainAuthEnabled() {
        return true;
    }

    @Override
    public boolean supportsOAuth() {
        return false;
    }

    @Override
    public Optional<OidcSASLConfiguration> oidcSaslConfiguration() {
        return Optional.empty();
    }

    @Override
    public boolean needsCommandInjectionDetection() {
        return false;
    }

    @Override
    public void startDetectingCommandInjection() {
    }

    @Override
    public void stopDetectingCommandInjection() {
    }

    @Override
    public synchronized void schedule(Runnable runnable, Duration waitDelay) {
        scheduled.add(runnable);
    }
}
