package org.epost.overlay.scribe;

import org.epost.overlay.scribe.messages.ScribeCreate;
import org.epost.overlay.scribe.messages.ScribeData;
import org.epost.overlay.scribe.messages.ScribeHeartbeat;
import org.epost.overlay.scribe.messages.ScribeJoin;
import org.epost.overlay.scribe.messages.ScribeJoinAck;
import org.epost.overlay.scribe.messages.ScribeLeave;
import org.epost.overlay.scribe.messages.ScribePublish;
import org.epost.overlay.wire.MessageTypes;

/** The stable wire names of Scribe's messages. Never rename one: peers of other versions decode by name. */
public final class ScribeMessageTypes {
    private ScribeMessageTypes() {
    }

    public static MessageTypes register(MessageTypes types) {
        return types
                .register("scribe.join", ScribeJoin.class)
                .register("scribe.join-ack", ScribeJoinAck.class)
                .register("scribe.leave", ScribeLeave.class)
                .register("scribe.create", ScribeCreate.class)
                .register("scribe.publish", ScribePublish.class)
                .register("scribe.data", ScribeData.class)
                .register("scribe.heartbeat", ScribeHeartbeat.class);
    }
}
