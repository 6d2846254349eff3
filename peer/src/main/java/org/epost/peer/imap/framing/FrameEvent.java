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
     * A synchronizing literal over the largest accepted ({@code literalSizeLimit}, James's APPENDLIMIT): the command is
     * refused with a tagged {@code NO [TOOBIG]} without the literal being asked for, and the connection goes on.
     */
    record TooBig(String tag, String reason) implements FrameEvent {
    }

    /**
     * The client sent something after which the framer cannot know where the next command starts (a
     * non-synchronizing literal it will not accept, a literal size it cannot read): a tagged BAD, then the
     * connection is closed. Nothing more is read from it.
     */
    record Fatal(String tag, String reason) implements FrameEvent {
    }
}
