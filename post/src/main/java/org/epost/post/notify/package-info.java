/**
 * POST notifications (DESIGN.md section 5): how a sender's peer tells a recipient's home peer that a message is
 * stored in PAST, with delegation to k nodes when the home peer is offline.
 *
 * <p>Protocol (wire names registered by {@link org.epost.post.notify.messages.NotifyMessageTypes}; the application
 * registers as {@value org.epost.post.notify.NotificationService#APPLICATION} and needs Scribe on the same node):
 * <pre>
 * sender --post.notify.deliver(id, recipient, box, replyTo)--&gt; home          (direct, home from the identity block)
 * home   --post.notify.receipt(id, recipient, sig)----------&gt; replyTo         (sig by the recipient's signing key)
 *   no receipt within the timeout:
 * sender --post.notify.delegate(key, id, recipient, box, origin, copy=false)--&gt; root of a random key (routed)
 * root   --post.notify.delegate(..., copy=true)--&gt; the rest of the k closest to key (direct)
 * root   --post.notify.delegated(id, n)--&gt; origin
 * delegates join Scribe group H("epost/notify/group/v1", recipient signing key)
 * home   --scribe publish post.notify.presence(recipient, home, time, sig)--&gt; group   (on start / user added)
 * delegate --post.notify.deliver--&gt; announced home, and every retry interval the identity block's home
 * home   --post.notify.receipt--&gt; delegate, which then drops the notification and leaves the group
 * home   --post.notify.box-refusal(BoxRefusal(id, recipient, H(box), fault), sig)--&gt; delegate, for a box that does
 *                not open to a notification for the recipient signed by its sender; the delegate keeping that very box
 *                drops it (nothing goes to its origin)
 * </pre>
 * box = SealedBox(recipient X25519 key, canonical {@link org.epost.post.notify.Notification} || Ed25519 signature
 * of the sender), see {@link org.epost.post.notify.NotificationCrypto}.
 */
package org.epost.post.notify;
