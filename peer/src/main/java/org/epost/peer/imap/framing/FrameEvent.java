package org.epost.peer.imap.framing;

/** What the {@link ImapCommandFramer} found in the client's bytes. */
public sealed interface FrameEvent {
    /** A whole command, ready for James's parser. */
    record Command(FramedCommand command) implements FrameEvent {
    }

    /** The client announced a synchronizing literal and waits for a continuation request ("+") before sending it. */
    record ContinuationRequest() implements FrameEvent {
    }

    /**
     * The command is refused with a tagged BAD ({@code tag} is null when none could be read: untagged BAD) and the
     * connection goes on: the framer knows where the refused command ended.
     */
    record Rejected(String tag, String reason) implements FrameEvent {
    }

    /**
     * A valid command the server will not carry out, answered with a tagged {@code NO [code]} and the connection goes
     * on: a synchronizing literal over the largest accepted ({@code literalSizeLimit}, James's APPENDLIMIT; code
     * {@code TOOBIG}, RFC 7889), refused without being asked for; a literal for which the peer's scratch disk has no
     * room now ({@link LiteralScratch}; code {@code LIMIT}, RFC 5530), refused at its announcement, or, for a LITERAL+
     * one already on its way, dropped as it arrives and refused at the end of its command.
     */
    record Declined(String tag, String code, String reason) implements FrameEvent {
    }

    /**
     * The client sent something after which the framer cannot know where the next command starts (a
     * non-synchronizing literal it will not accept, a literal size it cannot read): a tagged BAD, then the
     * connection is closed. Nothing more is read from it.
     */
    record Fatal(String tag, String reason) implements FrameEvent {
    }
}
