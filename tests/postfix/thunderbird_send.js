// Run by Marionette in a running Thunderbird, with chrome privileges: send a prepared message
// file through the outgoing server Thunderbird itself chose for the identity, with the
// password a user would type at Thunderbird's prompt. Resolves with what Thunderbird read from
// its settings and how the send ended.
const [email, messagePath, rcptAddress, password, resolve] = arguments;
(async () => {
  const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
  const identity = MailServices.accounts.allIdentities.find(i => i.email == email);
  if (!identity) {
    throw new Error(`Thunderbird has no identity ${email}`);
  }
  const server = MailServices.outgoingServer.getServerByIdentity(identity);
  const smtp = server.QueryInterface(Ci.nsISmtpServer);
  const settings = {
    key: server.key,
    hostname: smtp.hostname,
    port: smtp.port,
    socketType: server.socketType,
    authMethod: server.authMethod,
    username: server.username,
  };
  const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile);
  file.initWithPath(messagePath);
  const rcpt = MailServices.headerParser.makeMailboxObject("", rcptAddress);
  const outcome = await new Promise(done => {
    server.sendMailMessage(file, [rcpt], [], identity, email, password, null, false, "", {
      QueryInterface: ChromeUtils.generateQI(["nsIMsgOutgoingListener"]),
      onSendStart() {},
      onSendStop(uri, status, secInfo, errorMessage) {
        done({ status, errorMessage: errorMessage || null });
      },
    });
  });
  resolve({ settings, outcome });
})().catch(error => resolve({ error: String(error) }));
