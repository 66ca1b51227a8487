package io.switchboard.server.bots;

import java.util.Base64;

/**
 * One message a bot sends (bots.md §5.2 params), validated: the first bad field throws 10002 naming it.
 *
 * @param data the decoded bytes, kept as standard padded Base64 (what is stored and pushed as {@code data})
 */
record MessageIn(String conversationId, String recipientId, String messageId, String category, String data,
    String representativeId, String quoteMessageId, boolean silent, long expireIn) {

  /** Raw params as read; {@code index} names the batch element in errors (-1 for a single message). */
  static MessageIn validate(String conversationId, String recipientId, String messageId, String category,
      String dataBase64, String data, String representativeId, String quoteMessageId, Boolean silent,
      Long expireIn, int maxDataBytes, int index) {
    if (!Bot.isUuid(conversationId)) {
      throw BotsError.invalidField("conversation_id", index);
    }
    if (recipientId != null && !recipientId.isEmpty() && !Bot.isUuid(recipientId)) {
      throw BotsError.invalidField("recipient_id", index);
    }
    if (!Bot.isUuid(messageId)) {
      throw BotsError.invalidField("message_id", index);
    }
    if (!isCategory(category) || category.startsWith("SYSTEM_")) {
      throw BotsError.invalidField("category", index);
    }
    String field = dataBase64 != null ? "data_base64" : "data";
    String text = dataBase64 != null ? dataBase64 : data;
    if (text == null) {
      throw BotsError.invalidField("data_base64", index);
    }
    byte[] bytes = decodeAnyBase64(text);
    if (bytes == null || bytes.length > maxDataBytes) {
      throw BotsError.invalidField(field, index);
    }
    if (representativeId != null && !representativeId.isEmpty() && !Bot.isUuid(representativeId)) {
      throw BotsError.invalidField("representative_id", index);
    }
    if (quoteMessageId != null && !quoteMessageId.isEmpty() && !Bot.isUuid(quoteMessageId)) {
      throw BotsError.invalidField("quote_message_id", index);
    }
    if (expireIn != null && expireIn < 0) {
      throw BotsError.invalidField("expire_in", index);
    }
    return new MessageIn(conversationId.toLowerCase(java.util.Locale.ROOT),
        recipientId == null || recipientId.isEmpty() ? null : recipientId.toLowerCase(java.util.Locale.ROOT),
        messageId.toLowerCase(java.util.Locale.ROOT), category, Base64.getEncoder().encodeToString(bytes),
        representativeId == null ? "" : representativeId, quoteMessageId == null ? "" : quoteMessageId,
        silent != null && silent, expireIn == null ? 0 : expireIn);
  }

  /** {@code [A-Z_]{1,64}}, checked by hand (per message, like the ids). */
  static boolean isCategory(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 'A' || c > 'Z') && c != '_') {
        return false;
      }
    }
    return true;
  }

  /** Standard or URL-safe alphabet, padded or not (§5.2; the JDK decoders accept both); null when neither. */
  static byte[] decodeAnyBase64(String s) {
    String t = s.trim();
    boolean url = t.indexOf('-') >= 0 || t.indexOf('_') >= 0;
    try {
      return url ? Base64.getUrlDecoder().decode(t) : Base64.getDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
