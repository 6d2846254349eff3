package org.epost.post.notify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.epost.overlay.api.Message;
import org.epost.overlay.api.NodeHandle;
import org.epost.post.accounts.UserKeys;
import org.epost.post.notify.messages.NotifyReceipt;
import org.epost.post.notify.messages.NotifyReceipts;

/**
 * The home peer's receipts, signed once for all the notifications of one recipient that one peer waits for and that
 * became durable together (one seen-ids force answers many, and their continuations run as one run of tasks on the
 * node thread). A receipt queued here is signed at the end of that run, with every other receipt for the same
 * recipient and peer queued meanwhile; it never waits for a signature under way (receipts that complete later are
 * signed in parallel on the pool, as before batching). A lone receipt goes out as the single {@link NotifyReceipt}
 * it always was; several as one {@link NotifyReceipts}. Batches are per receiving peer: a peer learns only of the
 * notifications it sent or keeps. Node thread only.
 */
final class ReceiptBatcher {
    private final NotifyNode node;
    /** Receipts queued in this run of tasks, by recipient and receiving peer. */
    private final Map<List<Object>, Queue> queues = new HashMap<>();

    private record Queue(UserKeys keys, String recipient, NodeHandle to, Map<String, byte[]> ids) {
    }

    ReceiptBatcher(NotifyNode node) {
        this.node = node;
    }

    /** Sends {@code to} the receipt for notification {@code id} of {@code recipient}, signed with its keys. */
    void add(UserKeys keys, String recipient, byte[] id, NodeHandle to) {
        List<Object> key = List.of(recipient, to);
        Queue queue = queues.get(key);
        if (queue == null) {
            // by hex: a receipt repeated while queued is sent once
            queue = new Queue(keys, recipient, to, new LinkedHashMap<>());
            queues.put(key, queue);
            node.onNode().execute(() -> flush(key));
        }
        queue.ids().putIfAbsent(HexFormat.of().formatHex(id), id);
    }

    /** Signs what queued off the node thread, a batch's worth per signature, and sends it. */
    private void flush(List<Object> key) {
        Queue queue = queues.remove(key);
        List<byte[]> ids = new ArrayList<>(queue.ids().values());
        for (int from = 0; from < ids.size(); from += ReceiptBatch.MAX_IDS) {
            List<byte[]> taken = ids.subList(from, Math.min(ids.size(), from + ReceiptBatch.MAX_IDS));
            node.offload(NotifyNode.SMALL_WORK_BYTES, () -> sign(queue, taken), receipt -> {
                taken.forEach(id -> node.count("receipt-sent"));
                if (taken.size() > 1) {
                    node.count("receipt-batches-sent");
                }
                node.sendTo(queue.to(), receipt);
            });
        }
    }

    private static Message sign(Queue queue, List<byte[]> ids) {
        if (ids.size() == 1) {
            return new NotifyReceipt(ids.get(0), queue.recipient(), NotificationCrypto.signReceipt(
                    queue.keys().signing().getPrivate(), ids.get(0), queue.recipient()));
        }
        ReceiptBatch batch = new ReceiptBatch(queue.recipient(), ids);
        return new NotifyReceipts(batch.encode(), NotificationCrypto.signReceipts(queue.keys().signing().getPrivate(),
                batch));
    }
}
