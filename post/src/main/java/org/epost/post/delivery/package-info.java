/**
 * Mail delivery through POST (DESIGN.md section 6), free of James: {@link org.epost.post.delivery.PostSender}
 * stores a message once and sends one notification per ePOST recipient, waiting until each is durable (delivered or
 * delegated); {@link org.epost.post.delivery.RecipientDirectory} tells ePOST recipients apart;
 * {@link org.epost.post.delivery.RelayAccount} signs what no local user vouches for. The SMTP hooks and mailets of the
 * {@code mailets} module call these through a {@link org.epost.post.delivery.PostGateway}.
 */
package org.epost.post.delivery;
