<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AccountPage</name>
    <message>
        <source>Your account</source>
        <translation>Ihr Konto</translation>
    </message>
    <message>
        <source>The relay wants your username and password; the login is checked now.</source>
        <translation>Der Relay-Server verlangt Benutzername und Passwort; die Anmeldung wird jetzt geprüft.</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Remember the password in this computer&apos;s keyring</source>
        <translation>Passwort im &amp;Schlüsselbund dieses Computers speichern</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Your keyring has a password for this account.</source>
        <translation>Ihr Schlüsselbund kennt ein Passwort für dieses Konto.</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Checking your login with %1…</source>
        <translation>Anmeldung bei %1 wird geprüft…</translation>
    </message>
    <message>
        <source>Stopped: the login was not checked.</source>
        <translation>Angehalten: Die Anmeldung wurde nicht geprüft.</translation>
    </message>
    <message>
        <source>The login did not work: %1</source>
        <translation>Die Anmeldung hat nicht geklappt: %1</translation>
    </message>
    <message>
        <source>Login works; the password is in your keyring.</source>
        <translation>Die Anmeldung klappt; das Passwort ist in Ihrem Schlüsselbund.</translation>
    </message>
    <message>
        <source>Login works; the password was not stored (%1).</source>
        <translation>Die Anmeldung klappt; das Passwort wurde nicht gespeichert (%1).</translation>
    </message>
    <message>
        <source>you chose not to</source>
        <translation>Sie wollten es nicht</translation>
    </message>
</context>
<context>
    <name>ClientsPage</name>
    <message>
        <source>Your mail programs</source>
        <translation>Ihre Mailprogramme</translation>
    </message>
    <message>
        <source>Tick the programs to set up. Every change is shown first and can be undone; no password goes into a file.</source>
        <translation>Haken Sie die Programme an. Jede Änderung wird vorher gezeigt und ist umkehrbar; kein Passwort kommt in eine Datei.</translation>
    </message>
    <message>
        <source>Mail programs found on this computer</source>
        <translation>Auf diesem Computer gefundene Mailprogramme</translation>
    </message>
    <message>
        <source>The change, as a diff</source>
        <translation>Die Änderung als Diff</translation>
    </message>
    <message>
        <source>&amp;Write settings</source>
        <translation>Einstellungen &amp;schreiben</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Looking for mail programs…</source>
        <translation>Mailprogramme werden gesucht…</translation>
    </message>
    <message>
        <source>Found %1 of %2 mail programs.</source>
        <translation>%1 von %2 Mailprogrammen gefunden.</translation>
    </message>
    <message>
        <source>%1 (cannot be set up)</source>
        <translation>%1 (kann nicht eingerichtet werden)</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1 (nicht installiert)</translation>
    </message>
    <message>
        <source> — already set up</source>
        <translation> — schon eingerichtet</translation>
    </message>
    <message>
        <source>Settings file: %1</source>
        <translation>Einstellungsdatei: %1</translation>
    </message>
    <message>
        <source>then runs: %1</source>
        <translation>führt danach aus: %1</translation>
    </message>
    <message>
        <source>(no change needed)</source>
        <translation>(keine Änderung nötig)</translation>
    </message>
    <message>
        <source>%1 cannot be set up: %2</source>
        <translation>%1 kann nicht eingerichtet werden: %2</translation>
    </message>
    <message>
        <source>not installed on this computer</source>
        <translation>auf diesem Computer nicht installiert</translation>
    </message>
    <message>
        <source>%1 is not installed on this computer.</source>
        <translation>%1 ist auf diesem Computer nicht installiert.</translation>
    </message>
    <message>
        <source>already set up: nothing to change</source>
        <translation>schon eingerichtet: nichts zu ändern</translation>
    </message>
    <message>
        <source>not ticked</source>
        <translation>nicht angehakt</translation>
    </message>
    <message>
        <source>ticked but not written</source>
        <translation>angehakt, aber nicht geschrieben</translation>
    </message>
    <message>
        <source>Nothing to write: tick a mail program that is not set up yet.</source>
        <translation>Nichts zu schreiben: Haken Sie ein Mailprogramm an, das noch nicht eingerichtet ist.</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Wird geschrieben…</translation>
    </message>
    <message>
        <source>%1: not written: %2</source>
        <translation>%1: nicht geschrieben: %2</translation>
    </message>
    <message>
        <source>nothing to change</source>
        <translation>nichts zu ändern</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1: wrote %2; backups: %3</source>
        <translation>%1: %2 geschrieben; Sicherungen: %3</translation>
    </message>
    <message>
        <source>%1: put back %2</source>
        <translation>%1: %2 wiederhergestellt</translation>
    </message>
</context>
<context>
    <name>DiscoverPage</name>
    <message>
        <source>Finding your relay</source>
        <translation>Ihren Relay-Server finden</translation>
    </message>
    <message>
        <source>What each source answered</source>
        <translation>Was jede Quelle geantwortet hat</translation>
    </message>
    <message>
        <source>Searching</source>
        <translation>Suche läuft</translation>
    </message>
    <message>
        <source>Confirm your relay</source>
        <translation>Relay-Server bestätigen</translation>
    </message>
    <message>
        <source>Search &amp;again</source>
        <translation>&amp;Erneut suchen</translation>
    </message>
    <message>
        <source>I &amp;know my relay&apos;s name</source>
        <translation>Ich &amp;kenne den Namen meines Relay-Servers</translation>
    </message>
    <message>
        <source>Go back and type the relay&apos;s name yourself</source>
        <translation>Zurückgehen und den Namen des Relay-Servers selbst eingeben</translation>
    </message>
    <message>
        <source>C&amp;hoose CA file…</source>
        <translation>CA-Datei &amp;wählen…</translation>
    </message>
    <message>
        <source>The organisation&apos;s CA certificate, if your IT department gave you one</source>
        <translation>Das CA-Zertifikat der Organisation, falls Ihre IT-Abteilung Ihnen eines gegeben hat</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Asking where the mail relay of %1 is, and testing each answer.</source>
        <translation>Es wird erfragt, wo der Mail-Relay-Server von %1 ist, und jede Antwort wird geprüft.</translation>
    </message>
    <message>
        <source>Waiting for the answers…</source>
        <translation>Warten auf die Antworten…</translation>
    </message>
    <message>
        <source>Your organisation&apos;s profile</source>
        <translation>Das Profil Ihrer Organisation</translation>
    </message>
    <message>
        <source>Settings from IT on this computer</source>
        <translation>Einstellungen der IT auf diesem Computer</translation>
    </message>
    <message>
        <source>autoconfig</source>
        <translation>Autoconfig</translation>
    </message>
    <message>
        <source>DNS SRV</source>
        <translation>DNS-SRV</translation>
    </message>
    <message>
        <source>autoconfig over plain http (not trusted)</source>
        <translation>Autoconfig über unverschlüsseltes HTTP (nicht vertrauenswürdig)</translation>
    </message>
    <message>
        <source>MX record</source>
        <translation>MX-Eintrag</translation>
    </message>
    <message>
        <source>a guess</source>
        <translation>eine Vermutung</translation>
    </message>
    <message>
        <source>%1: %2, port %3</source>
        <translation>%1: %2, Port %3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 not found</source>
        <translation>%1: %2 nicht gefunden</translation>
    </message>
    <message>
        <source>%1: not found (%3)</source>
        <translation>%1: nicht gefunden (%3)</translation>
    </message>
    <message>
        <source>%1: %2 not found (%3)</source>
        <translation>%1: %2 nicht gefunden (%3)</translation>
    </message>
    <message>
        <source>%1: no such name</source>
        <translation>%1: diesen Namen gibt es nicht</translation>
    </message>
    <message>
        <source>port %1 %2</source>
        <translation>Port %1 %2</translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>Die Suche ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Stopped. Search again, or give the relay&apos;s name yourself.</source>
        <translation>Angehalten. Suchen Sie erneut, oder geben Sie den Namen des Relay-Servers selbst ein.</translation>
    </message>
    <message>
        <source>Your relay: &lt;b&gt;%1&lt;/b&gt;, port %2 (%3), found through %4.</source>
        <translation>Ihr Relay-Server: &lt;b&gt;%1&lt;/b&gt;, Port %2 (%3), gefunden über %4.</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>Your relay appears to be &lt;b&gt;%1&lt;/b&gt;, found only through %2, which anyone between you and the internet could have forged; it is not a name of %3. Use it only if your IT department says this is your relay. Use it?</source>
        <translation>Ihr Relay-Server scheint &lt;b&gt;%1&lt;/b&gt; zu sein, gefunden nur über %2, was jeder zwischen Ihnen und dem Internet gefälscht haben könnte; es ist kein Name von %3. Verwenden Sie ihn nur, wenn Ihre IT-Abteilung sagt, dass dies Ihr Relay-Server ist. Verwenden?</translation>
    </message>
    <message>
        <source>&amp;Yes, %1 is my relay</source>
        <translation>&amp;Ja, %1 ist mein Relay-Server</translation>
    </message>
    <message>
        <source>Yes, this is my relay</source>
        <translation>Ja, das ist mein Relay-Server</translation>
    </message>
    <message>
        <source>DNS SRV records without DNSSEC</source>
        <translation>DNS-SRV-Einträge ohne DNSSEC</translation>
    </message>
    <message>
        <source>autoconfig over plain http</source>
        <translation>Autoconfig über unverschlüsseltes HTTP</translation>
    </message>
    <message>
        <source>the domain&apos;s MX record</source>
        <translation>den MX-Eintrag der Domain</translation>
    </message>
    <message>
        <source>A relay for %1 answered, but its certificate cannot be verified. If your IT department gave you the organisation&apos;s CA file, choose it; or give the relay&apos;s name yourself.</source>
        <translation>Ein Relay-Server für %1 hat geantwortet, aber sein Zertifikat lässt sich nicht prüfen. Wenn Ihre IT-Abteilung Ihnen die CA-Datei der Organisation gegeben hat, wählen Sie sie; oder geben Sie den Namen des Relay-Servers selbst ein.</translation>
    </message>
    <message>
        <source>A server for %1 answered, but none offered encryption and a password login from this network. If you know your relay&apos;s name, give it yourself.</source>
        <translation>Ein Server für %1 hat geantwortet, aber keiner bietet aus diesem Netz Verschlüsselung und eine Anmeldung mit Passwort. Wenn Sie den Namen Ihres Relay-Servers kennen, geben Sie ihn selbst ein.</translation>
    </message>
    <message>
        <source>Found no relay for %1: no DNS record or autoconfig names one, and none of the usual names answers. Check the address for a typo, or, if you know your relay&apos;s name, give it yourself.</source>
        <translation>Kein Relay-Server für %1 gefunden: Kein DNS-Eintrag und keine Autoconfig nennt einen, und keiner der üblichen Namen antwortet. Prüfen Sie die Adresse auf Tippfehler, oder geben Sie den Namen Ihres Relay-Servers selbst ein, wenn Sie ihn kennen.</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>&amp;Undo these changes</source>
        <translation>Diese Änderungen &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>Show the diagnostics report for your IT department</source>
        <translation>Den Diagnosebericht für Ihre IT-Abteilung zeigen</translation>
    </message>
    <message>
        <source>&amp;Copy diagnostics</source>
        <translation>Diagnose &amp;kopieren</translation>
    </message>
    <message>
        <source>A report of everything found, without your password</source>
        <translation>Ein Bericht über alles Gefundene, ohne Ihr Passwort</translation>
    </message>
    <message>
        <source>Diagnostics report</source>
        <translation>Diagnosebericht</translation>
    </message>
    <message>
        <source>This puts the old files back. Later, in a terminal, type &lt;tt&gt;relay-setup undo&lt;/tt&gt; and the program&apos;s name.</source>
        <translation>Das stellt die alten Dateien wieder her. Später geben Sie dazu in einem Terminal &lt;tt&gt;relay-setup undo&lt;/tt&gt; und den Namen des Programms ein.</translation>
    </message>
    <message>
        <source>Relay &lt;b&gt;%1&lt;/b&gt;, port %2 with %3, as %4.</source>
        <translation>Relay-Server &lt;b&gt;%1&lt;/b&gt;, Port %2 mit %3, als %4.</translation>
    </message>
    <message>
        <source>Certificate pinned: %1</source>
        <translation>Zertifikat festgelegt: %1</translation>
    </message>
    <message>
        <source>Password kept in your keyring.</source>
        <translation>Passwort in Ihrem Schlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>Password not kept: your mail programs will ask for it.</source>
        <translation>Passwort nicht gespeichert: Ihre Mailprogramme fragen danach.</translation>
    </message>
    <message>
        <source>Test message accepted (queue id %1).</source>
        <translation>Testnachricht angenommen (Queue-ID %1).</translation>
    </message>
    <message>
        <source>No test message sent.</source>
        <translation>Keine Testnachricht gesendet.</translation>
    </message>
    <message>
        <source>Set up: %1.</source>
        <translation>Eingerichtet: %1.</translation>
    </message>
    <message>
        <source>No mail program was changed.</source>
        <translation>Kein Mailprogramm wurde geändert.</translation>
    </message>
    <message>
        <source>%1 (backup: %2)</source>
        <translation>%1 (Sicherung: %2)</translation>
    </message>
    <message>
        <source>%1 (a new file: undo removes it)</source>
        <translation>%1 (eine neue Datei: Rückgängig entfernt sie)</translation>
    </message>
    <message>
        <source>Your password is not in the keyring: go back to Your account and tick Remember.</source>
        <translation>Ihr Passwort ist nicht im Schlüsselbund: Gehen Sie zurück zu „Ihr Konto“ und haken Sie Speichern an.</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>Als Nächstes: %1</translation>
    </message>
    <message>
        <source>Not set up</source>
        <translation>Nicht eingerichtet</translation>
    </message>
    <message>
        <source>Putting the old files back…</source>
        <translation>Die alten Dateien werden wiederhergestellt…</translation>
    </message>
    <message>
        <source>Copied: paste it into a message to your IT department.</source>
        <translation>Kopiert: Fügen Sie ihn in eine Nachricht an Ihre IT-Abteilung ein.</translation>
    </message>
</context>
<context>
    <name>HooksOffer</name>
    <message>
        <source>Check my setup when the &amp;network changes</source>
        <translation>Meine Einrichtung prüfen, wenn sich das &amp;Netzwerk ändert</translation>
    </message>
    <message>
        <source>On a new network, test that mail still goes through, and tell me if not</source>
        <translation>In einem neuen Netz prüfen, ob Mail noch hinausgeht, und mir Bescheid geben, wenn nicht</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Wird ausgeführt…</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>Nicht geändert: %1</translation>
    </message>
    <message>
        <source>Off.</source>
        <translation>Aus.</translation>
    </message>
    <message>
        <source>On: your setup is checked whenever the network changes.</source>
        <translation>Ein: Ihre Einrichtung wird bei jedem Netzwechsel geprüft.</translation>
    </message>
    <message>
        <source>Saved, but your system&apos;s service manager did not answer, so it is not on yet. It needs a desktop session with systemd.</source>
        <translation>Gespeichert, aber der Dienstverwalter Ihres Systems hat nicht geantwortet, daher ist es noch nicht eingeschaltet. Es braucht eine Desktop-Sitzung mit systemd.</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <source>A test message</source>
        <translation>Eine Testnachricht</translation>
    </message>
    <message>
        <source>Send a short message through the relay to see that mail really goes out.</source>
        <translation>Senden Sie eine kurze Nachricht über den Relay-Server, um zu sehen, dass Mail wirklich hinausgeht.</translation>
    </message>
    <message>
        <source>Send the test message to</source>
        <translation>Testnachricht senden an</translation>
    </message>
    <message>
        <source>&amp;Send test message</source>
        <translation>Test&amp;nachricht senden</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>&amp;An:</translation>
    </message>
    <message>
        <source>No test message sent</source>
        <translation>Keine Testnachricht gesendet</translation>
    </message>
    <message>
        <source>No test message was sent. A test shows that mail really goes out through the relay. Go on without one?</source>
        <translation>Es wurde keine Testnachricht gesendet. Ein Test zeigt, dass Mail wirklich über den Relay-Server hinausgeht. Ohne Test weitermachen?</translation>
    </message>
    <message>
        <source>&amp;Send it now</source>
        <translation>&amp;Jetzt senden</translation>
    </message>
    <message>
        <source>&amp;Go on without</source>
        <translation>&amp;Ohne Test weiter</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Go back and check your login first.</source>
        <translation>Gehen Sie zurück und prüfen Sie zuerst Ihre Anmeldung.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>Stopped before the relay confirmed the message (if it was already on its way, it may still arrive).</source>
        <translation>Angehalten, bevor der Relay-Server die Nachricht bestätigt hat (war sie schon unterwegs, kann sie noch ankommen).</translation>
    </message>
    <message>
        <source>The message was not accepted: %1</source>
        <translation>Die Nachricht wurde nicht angenommen: %1</translation>
    </message>
    <message>
        <source>Sent to %1. The relay answered: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Queue id: &lt;b&gt;%3&lt;/b&gt;, Message-ID: &lt;tt&gt;%4&lt;/tt&gt;</source>
        <translation>An %1 gesendet. Der Relay-Server antwortete: &lt;tt&gt;%2&lt;/tt&gt;&lt;br&gt;Queue-ID: &lt;b&gt;%3&lt;/b&gt;, Message-ID: &lt;tt&gt;%4&lt;/tt&gt;</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>keine angegeben</translation>
    </message>
</context>
<context>
    <name>PortTable</name>
    <message>
        <source>Ports of the relay</source>
        <translation>Ports des Relay-Servers</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>Bedeutung</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>waiting… up to %1 s</source>
        <translation>warten… bis zu %1 s</translation>
    </message>
    <message>
        <source>answers, but without encryption</source>
        <translation>antwortet, aber ohne Verschlüsselung</translation>
    </message>
</context>
<context>
    <name>ProbePage</name>
    <message>
        <source>Testing the relay from this network</source>
        <translation>Der Relay-Server wird aus diesem Netz getestet</translation>
    </message>
    <message>
        <source>Testing in progress</source>
        <translation>Prüfung läuft</translation>
    </message>
    <message>
        <source>Result of the test</source>
        <translation>Ergebnis der Prüfung</translation>
    </message>
    <message>
        <source>Downgrade warning</source>
        <translation>Warnung vor Downgrade</translation>
    </message>
    <message>
        <source>Test &amp;again</source>
        <translation>&amp;Erneut testen</translation>
    </message>
    <message>
        <source>Test again</source>
        <translation>Erneut prüfen</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Details of the selected port</source>
        <translation>Details des gewählten Ports</translation>
    </message>
    <message>
        <source>Certificate not verified</source>
        <translation>Zertifikat nicht geprüft</translation>
    </message>
    <message>
        <source>The certificate and its fingerprint</source>
        <translation>Das Zertifikat und sein Fingerabdruck</translation>
    </message>
    <message>
        <source>I have &amp;compared the fingerprint</source>
        <translation>Ich habe den Fingerabdruck &amp;verglichen</translation>
    </message>
    <message>
        <source>I have compared this fingerprint with the one my IT department gave me</source>
        <translation>Ich habe diesen Fingerabdruck mit dem meiner IT-Abteilung verglichen</translation>
    </message>
    <message>
        <source>&amp;Trust this certificate</source>
        <translation>Diesem Zertifikat &amp;vertrauen</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>Diesem Zertifikat vertrauen</translation>
    </message>
    <message>
        <source>C&amp;hoose CA file…</source>
        <translation>&amp;CA-Datei wählen…</translation>
    </message>
    <message>
        <source>Choose CA file</source>
        <translation>CA-Datei wählen</translation>
    </message>
    <message>
        <source>The organisation&apos;s CA certificate, if your IT department gave you one</source>
        <translation>Das CA-Zertifikat Ihrer Organisation, falls Ihre IT-Abteilung Ihnen eines gegeben hat</translation>
    </message>
    <message>
        <source>Test results</source>
        <translation>Prüfergebnisse</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>Trying each port of %1 at once.</source>
        <translation>Alle Ports von %1 werden gleichzeitig versucht.</translation>
    </message>
    <message>
        <source>Waiting for the ports to answer…</source>
        <translation>Warten auf Antwort der Ports…</translation>
    </message>
    <message>
        <source>Port %1 works: you can go on now. Still trying port %2; it could not give a better choice.</source>
        <translation>Port %1 funktioniert: Sie können jetzt weitermachen. Port %2 wird noch geprüft; er kann keine bessere Wahl ergeben.</translation>
    </message>
    <message>
        <source>The test failed: %1</source>
        <translation>Der Test ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The test of %1 failed.</source>
        <translation>Die Prüfung von %1 ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The name &lt;b&gt;%1&lt;/b&gt; does not exist: check its spelling on the first page.</source>
        <translation>Den Namen &lt;b&gt;%1&lt;/b&gt; gibt es nicht: Prüfen Sie die Schreibweise auf der ersten Seite.</translation>
    </message>
    <message>
        <source>Recommended: %1.</source>
        <translation>Empfohlen: %1.</translation>
    </message>
    <message>
        <source>There is no server named %1.</source>
        <translation>Es gibt keinen Server namens %1.</translation>
    </message>
    <message>
        <source>Tested %1 in %2 s: port %3 works, with encryption.</source>
        <translation>%1 in %2 s geprüft: Port %3 funktioniert, mit Verschlüsselung.</translation>
    </message>
    <message>
        <source>The test of %1 was stopped.</source>
        <translation>Die Prüfung von %1 wurde angehalten.</translation>
    </message>
    <message>
        <source>Tested %1 in %2 s: no port can be used safely.</source>
        <translation>%1 in %2 s geprüft: Kein Port lässt sich sicher verwenden.</translation>
    </message>
    <message>
        <source>The certificate of port %1 cannot be verified: %2.&lt;br&gt;Accept it only if its SHA-256 fingerprint is exactly the one your IT department gave you:&lt;br&gt;&lt;tt&gt;&lt;b&gt;%3&lt;/b&gt;&lt;/tt&gt;&lt;br&gt;Subject: %4&lt;br&gt;Issuer: %5&lt;br&gt;Valid until: %6</source>
        <translation>Das Zertifikat von Port %1 lässt sich nicht prüfen: %2.&lt;br&gt;Nehmen Sie es nur an, wenn sein SHA-256-Fingerabdruck genau der ist, den Ihre IT-Abteilung Ihnen gegeben hat:&lt;br&gt;&lt;tt&gt;&lt;b&gt;%3&lt;/b&gt;&lt;/tt&gt;&lt;br&gt;Inhaber: %4&lt;br&gt;Aussteller: %5&lt;br&gt;Gültig bis: %6</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning: possible downgrade attack on port %1.&lt;/b&gt; Encryption was expected there, but the server (or something between you and it) no longer offers it. Nothing more is done on this port, and your password is never sent over it. If you are on a public network, try another one and tell your IT department.</source>
        <translation>&lt;b&gt;Warnung: möglicher Downgrade-Angriff auf Port %1.&lt;/b&gt; Dort wurde Verschlüsselung erwartet, aber der Server (oder etwas zwischen Ihnen und ihm) bietet sie nicht mehr an. Auf diesem Port geschieht nichts mehr, und Ihr Passwort wird nie darüber gesendet. Sind Sie in einem öffentlichen Netz, versuchen Sie ein anderes und sagen Sie Ihrer IT-Abteilung Bescheid.</translation>
    </message>
</context>
<context>
    <name>RelayWizard</name>
    <message>
        <source>Relay Setup</source>
        <translation>Relay Setup</translation>
    </message>
    <message>
        <source>Close Relay Setup?</source>
        <translation>Relay Setup schließen?</translation>
    </message>
    <message>
        <source>The settings of %1 were written, and closing keeps them. To put the old files back, press Undo on the mail programs page, or later type relay-setup undo in a terminal.</source>
        <translation>Die Einstellungen von %1 wurden geschrieben, und Schließen behält sie. Um die alten Dateien wiederherzustellen, drücken Sie Rückgängig auf der Seite der Mailprogramme, oder geben Sie später in einem Terminal relay-setup undo ein.</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>&amp;Stay</source>
        <translation>&amp;Bleiben</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Your organisation&apos;s mail relay</source>
        <translation>Der Mail-Relay-Server Ihrer Organisation</translation>
    </message>
    <message>
        <source>for example mail.example.org</source>
        <translation>zum Beispiel mail.example.org</translation>
    </message>
    <message>
        <source>Relay host name</source>
        <translation>Name des Relay-Servers</translation>
    </message>
    <message>
        <source>you@example.org</source>
        <translation>sie@example.org</translation>
    </message>
    <message>
        <source>no port given</source>
        <translation>kein Port angegeben</translation>
    </message>
    <message>
        <source>How to reach your IT department</source>
        <translation>So erreichen Sie Ihre IT-Abteilung</translation>
    </message>
    <message>
        <source>Your email address</source>
        <translation>Ihre E-Mail-Adresse</translation>
    </message>
    <message>
        <source>I &amp;know my relay&apos;s name</source>
        <translation>Ich &amp;kenne den Namen meines Relay-Servers</translation>
    </message>
    <message>
        <source>I know my relay&apos;s name</source>
        <translation>Ich kenne den Namen meines Relay-Servers</translation>
    </message>
    <message>
        <source>&amp;Details</source>
        <translation>&amp;Details</translation>
    </message>
    <message>
        <source>Show the technical settings</source>
        <translation>Die technischen Einstellungen zeigen</translation>
    </message>
    <message>
        <source>Ports to try</source>
        <translation>Zu testende Ports</translation>
    </message>
    <message>
        <source>465 is TLS from the first byte; N/starttls requires STARTTLS on port N</source>
        <translation>465 ist TLS ab dem ersten Byte; N/starttls verlangt STARTTLS auf Port N</translation>
    </message>
    <message>
        <source>only if your IT department gave you one</source>
        <translation>nur falls Ihre IT-Abteilung Ihnen eine gegeben hat</translation>
    </message>
    <message>
        <source>Organisation&apos;s CA certificate file</source>
        <translation>CA-Zertifikatsdatei der Organisation</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the CA certificate file</source>
        <translation>Die CA-Zertifikatsdatei wählen</translation>
    </message>
    <message>
        <source>&amp;Relay host:</source>
        <translation>&amp;Relay-Server:</translation>
    </message>
    <message>
        <source>&amp;Email address:</source>
        <translation>&amp;E-Mail-Adresse:</translation>
    </message>
    <message>
        <source>Settings from &lt;b&gt;%1&lt;/b&gt;: you only need to give your email address.</source>
        <translation>Einstellungen von &lt;b&gt;%1&lt;/b&gt;: Sie müssen nur Ihre E-Mail-Adresse angeben.</translation>
    </message>
    <message>
        <source>Questions? Your IT department: %1</source>
        <translation>Fragen? Ihre IT-Abteilung: %1</translation>
    </message>
    <message>
        <source>found from your email address</source>
        <translation>anhand Ihrer E-Mail-Adresse gefunden</translation>
    </message>
    <message>
        <source>&amp;Ports to try:</source>
        <translation>&amp;Ports:</translation>
    </message>
    <message>
        <source>From your email address: find your relay, check your password, send a test message, set up your mail programs.</source>
        <translation>Anhand Ihrer E-Mail-Adresse: Relay-Server finden, Passwort prüfen, Testnachricht senden, Mailprogramme einrichten.</translation>
    </message>
    <message>
        <source>Organisation &amp;CA:</source>
        <translation>&amp;CA der Organisation:</translation>
    </message>
    <message>
        <source>Relay host</source>
        <translation>Relay-Server</translation>
    </message>
    <message>
        <source>Ports: %1</source>
        <translation>Ports: %1</translation>
    </message>
    <message>
        <source>Email address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
</context>
<context>
    <name>ca_file</name>
    <message>
        <source>The organisation&apos;s CA certificate</source>
        <translation>Das CA-Zertifikat der Organisation</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cert *.cer)</source>
        <translation>Zertifikate (*.pem *.crt *.cert *.cer)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>cafile</name>
    <message>
        <source>CA file {source}: {why}</source>
        <translation>CA-Datei {source}: {why}</translation>
    </message>
    <message>
        <source>CA: {why}</source>
        <translation>CA: {why}</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>ist leer</translation>
    </message>
    <message>
        <source>is not PEM text (a binary DER certificate? {convert})</source>
        <translation>ist kein PEM-Text (ein binäres DER-Zertifikat? {convert})</translation>
    </message>
    <message>
        <source>holds a private key: only the CA&apos;s certificate may be used</source>
        <translation>enthält einen privaten Schlüssel: Nur das Zertifikat der CA darf verwendet werden</translation>
    </message>
    <message>
        <source>is not a PEM certificate (no BEGIN CERTIFICATE line)</source>
        <translation>ist kein PEM-Zertifikat (keine Zeile BEGIN CERTIFICATE)</translation>
    </message>
    <message>
        <source>is not a readable PEM certificate (damaged base64?)</source>
        <translation>ist kein lesbares PEM-Zertifikat (beschädigtes Base64?)</translation>
    </message>
</context>
<context>
    <name>clients</name>
    <message>
        <source>{path} is a symlink to {real}, which is not your own file inside {home}: refused (replace the link with the file, or {config})</source>
        <translation>{path} ist ein symbolischer Link auf {real}, das nicht Ihre eigene Datei in {home} ist: abgelehnt (ersetzen Sie den Link durch die Datei, oder {config})</translation>
    </message>
    <message>
        <source>{path} is read-only: nothing was written (make it writable to let Relay Setup change it)</source>
        <translation>{path} ist schreibgeschützt: Nichts wurde geschrieben (machen Sie die Datei beschreibbar, damit Relay Setup sie ändern kann)</translation>
    </message>
    <message>
        <source>{host} is an IP address: Alpine checks the relay&apos;s certificate against the host NAME and fails on an address (even one the certificate lists); give the relay&apos;s DNS name</source>
        <translation>{host} ist eine IP-Adresse: Alpine prüft das Zertifikat des Relay-Servers gegen den NAMEN des Hosts und scheitert an einer Adresse (auch an einer, die im Zertifikat steht); geben Sie den DNS-Namen des Relay-Servers an</translation>
    </message>
    <message>
        <source>Alpine is only set up for TLS (implicit or STARTTLS)</source>
        <translation>Alpine wird nur für TLS eingerichtet (implizit oder STARTTLS)</translation>
    </message>
    <message>
        <source>Alpine cannot use the AUTH mechanism {auth}</source>
        <translation>Alpine kann das AUTH-Verfahren {auth} nicht verwenden</translation>
    </message>
    <message>
        <source>Alpine is running (pid {pids}): it will not save its pinerc after we change it, and may overwrite our change. Quit Alpine, then start it again.</source>
        <translation>Alpine läuft (PID {pids}): Es speichert seine pinerc nach unserer Änderung nicht und überschreibt sie womöglich. Beenden Sie Alpine und starten Sie es dann neu.</translation>
    </message>
    <message>
        <source>Alpine {version} predates ~/.alpine-certs (2.24): use SSL_CERT_FILE for a CA</source>
        <translation>Alpine {version} ist älter als ~/.alpine-certs (2.24): Verwenden Sie SSL_CERT_FILE für ein CA-Zertifikat</translation>
    </message>
    <message>
        <source>Alpine cannot pin a certificate fingerprint: it needs the certificate to verify ({ca})</source>
        <translation>Alpine kann keinen Zertifikats-Fingerabdruck festlegen: Es braucht das Zertifikat zum Prüfen ({ca})</translation>
    </message>
    <message>
        <source>Alpine sends through {server}; it asks for the password on the first send.</source>
        <translation>Alpine sendet über {server}; es fragt beim ersten Senden nach dem Passwort.</translation>
    </message>
    <message>
        <source>Alpine sends From {sender} ({variable}); its roles may still set another From.</source>
        <translation>Alpine sendet mit dem Absender {sender} ({variable}); seine Rollen können trotzdem einen anderen Absender setzen.</translation>
    </message>
    <message>
        <source>No From address ({user} is not one): Alpine keeps its own From, which a relay checking the sender against the login refuses; {sender}.</source>
        <translation>Keine Absenderadresse ({user} ist keine): Alpine behält seinen eigenen Absender, den ein Relay-Server, der den Absender mit der Anmeldung vergleicht, ablehnt; {sender}.</translation>
    </message>
    <message>
        <source>cannot read the CA file {path}: {error}</source>
        <translation>die CA-Datei {path} lässt sich nicht lesen: {error}</translation>
    </message>
    <message>
        <source>The organisation&apos;s CA goes into {target}, which Alpine 2.24+ trusts; older Alpine needs SSL_CERT_FILE={ca}.</source>
        <translation>Das CA-Zertifikat der Organisation kommt nach {target}, dem Alpine ab 2.24 vertraut; ältere Alpine-Versionen brauchen SSL_CERT_FILE={ca}.</translation>
    </message>
    <message>
        <source>no Thunderbird profile in {root}: start Thunderbird once, or {config}</source>
        <translation>kein Thunderbird-Profil in {root}: Starten Sie Thunderbird einmal, oder {config}</translation>
    </message>
    <message>
        <source>several Thunderbird profiles and none is the default: pick one of {names}</source>
        <translation>mehrere Thunderbird-Profile und keines ist das Standardprofil: Wählen Sie eines von {names}</translation>
    </message>
    <message>
        <source>refusing {client} without TLS: the password would go in clear</source>
        <translation>{client} ohne TLS wird abgelehnt: Das Passwort ginge unverschlüsselt hinaus</translation>
    </message>
    <message>
        <source>{client} cannot pin a certificate fingerprint: {ca} instead, or use msmtp, which can</source>
        <translation>{client} kann keinen Zertifikats-Fingerabdruck festlegen: {ca} stattdessen, oder nehmen Sie msmtp, das es kann</translation>
    </message>
    <message>
        <source>{client} needs the relay&apos;s DNS name, not {host}</source>
        <translation>{client} braucht den DNS-Namen des Relay-Servers, nicht {host}</translation>
    </message>
    <message>
        <source>user</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>From address</source>
        <translation>Absenderadresse</translation>
    </message>
    <message>
        <source>{client} cannot carry the {label} {value}: it holds {shown}</source>
        <translation>{client} kann {value} nicht als {label} aufnehmen: Der Wert enthält {shown}</translation>
    </message>
    <message>
        <source>{path} changed since it was read; nothing was written</source>
        <translation>{path} wurde seit dem Lesen geändert; nichts wurde geschrieben</translation>
    </message>
    <message>
        <source>{path} changed since relay-setup wrote it; nothing was undone ({force})</source>
        <translation>{path} wurde geändert, seit Relay Setup die Datei schrieb; nichts wurde rückgängig gemacht ({force})</translation>
    </message>
    <message>
        <source>{path}, line {line}: {why}; the file was left untouched</source>
        <translation>{path}, Zeile {line}: {why}; die Datei blieb unverändert</translation>
    </message>
    <message>
        <source>{client} is running: {why}</source>
        <translation>{client} läuft: {why}</translation>
    </message>
    <message>
        <source>this msmtp was built without keyring support: it cannot read the password</source>
        <translation>dieses msmtp wurde ohne Schlüsselbund-Unterstützung gebaut: Es kann das Passwort nicht lesen</translation>
    </message>
    <message>
        <source>refusing an msmtp account without TLS: the password would go in clear</source>
        <translation>ein msmtp-Konto ohne TLS wird abgelehnt: Das Passwort ginge unverschlüsselt hinaus</translation>
    </message>
    <message>
        <source>{path}, line {number}: `{command}` in a defaults section applies to account {account} too, so msmtp will not read the keyring: remove it</source>
        <translation>{path}, Zeile {number}: `{command}` in einem defaults-Abschnitt gilt auch für das Konto {account}, daher liest msmtp den Schlüsselbund nicht: Entfernen Sie die Zeile</translation>
    </message>
    <message>
        <source>removed `{key}` (line {number}) from account {account}: msmtp now reads the password from the OS keyring</source>
        <translation>`{key}` (Zeile {number}) aus dem Konto {account} entfernt: msmtp liest das Passwort jetzt aus dem Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>msmtp reads the password from the OS keyring (service smtp, host {host}, user {user}): changing it in Relay Setup is what msmtp uses next</source>
        <translation>msmtp liest das Passwort aus dem Schlüsselbund des Systems (Dienst smtp, Host {host}, Benutzer {user}): Wenn Sie es in Relay Setup ändern, verwendet msmtp beim nächsten Mal das neue</translation>
    </message>
    <message>
        <source>msmtp looks for the password in this system&apos;s keychain under host {host} and user {user}, which may not be where Relay Setup keeps it: see msmtp&apos;s manual (password management)</source>
        <translation>msmtp sucht das Passwort im Schlüsselbund dieses Systems unter Host {host} und Benutzer {user}; dort legt Relay Setup es womöglich nicht ab: siehe das Handbuch von msmtp (Passwortverwaltung)</translation>
    </message>
    <message>
        <source>msmtp is not installed: the configuration is ready for when it is</source>
        <translation>msmtp ist nicht installiert: Die Einstellungen sind bereit, sobald es installiert ist</translation>
    </message>
    <message>
        <source>Thunderbird is only set up for TLS (implicit or STARTTLS)</source>
        <translation>Thunderbird wird nur für TLS eingerichtet (implizit oder STARTTLS)</translation>
    </message>
    <message>
        <source>certutil (libnss3-tools) is not installed, so the organisation&apos;s CA was not added to the profile. Install certutil and run this again, or have IT deploy this Thunderbird policy (policies.json):
{policy}</source>
        <translation>certutil (libnss3-tools) ist nicht installiert, daher wurde das CA-Zertifikat der Organisation nicht zum Profil hinzugefügt. Installieren Sie certutil und führen Sie dies erneut aus, oder lassen Sie Ihre IT-Abteilung diese Thunderbird-Richtlinie (policies.json) verteilen:
{policy}</translation>
    </message>
    <message>
        <source>The organisation&apos;s CA is already trusted in this profile ({nickname}).</source>
        <translation>Dem CA-Zertifikat der Organisation wird in diesem Profil bereits vertraut ({nickname}).</translation>
    </message>
    <message>
        <source>Thunderbird is running ({holder}): quit it before writing</source>
        <translation>Thunderbird läuft ({holder}): Beenden Sie es vor dem Schreiben</translation>
    </message>
    <message>
        <source>no Thunderbird profile folder at {folder}</source>
        <translation>kein Thunderbird-Profilordner unter {folder}</translation>
    </message>
    <message>
        <source>{holder}; quit Thunderbird first (it rewrites prefs.js on exit)</source>
        <translation>{holder}; beenden Sie Thunderbird zuerst (es schreibt prefs.js beim Beenden neu)</translation>
    </message>
    <message>
        <source>Thunderbird sends through {host}:{port} (outgoing server {key}); it asks for the password on the first send and can remember it in its own password manager.</source>
        <translation>Thunderbird sendet über {host}:{port} (Postausgangs-Server {key}); es fragt beim ersten Senden nach dem Passwort und kann es in seiner eigenen Passwortverwaltung speichern.</translation>
    </message>
    <message>
        <source>No Thunderbird identity has the address {sender}: choose the outgoing server in that account&apos;s settings.</source>
        <translation>Keine Thunderbird-Identität hat die Adresse {sender}: Wählen Sie den Postausgangs-Server in den Einstellungen des betreffenden Kontos.</translation>
    </message>
    <message>
        <source>Thunderbird cannot be given a fingerprint: on the first send it shows the relay&apos;s certificate; confirm the exception only if its SHA-256 is {pin}.</source>
        <translation>Thunderbird kann kein Fingerabdruck vorgegeben werden: Beim ersten Senden zeigt es das Zertifikat des Relay-Servers; bestätigen Sie die Ausnahme nur, wenn dessen SHA-256 {pin} ist.</translation>
    </message>
    <message>
        <source>aerc has no {path} yet: set up an account in aerc first</source>
        <translation>aerc hat noch keine {path}: Richten Sie zuerst ein Konto in aerc ein</translation>
    </message>
    <message>
        <source>aerc cannot log in with {auth}: it offers PLAIN and LOGIN</source>
        <translation>aerc kann sich nicht mit {auth} anmelden: Es bietet PLAIN und LOGIN</translation>
    </message>
    <message>
        <source>no aerc account in {path} sends as {sender}: add the account in aerc first (aerc needs its incoming `source`), then run this again</source>
        <translation>kein aerc-Konto in {path} sendet als {sender}: Legen Sie das Konto zuerst in aerc an (aerc braucht seine Eingangsquelle, `source`), dann versuchen Sie es noch einmal</translation>
    </message>
    <message>
        <source>aerc reads the password from the OS keyring when it sends (secret-tool lookup, host {host}, user {user})</source>
        <translation>aerc liest das Passwort beim Senden aus dem Schlüsselbund des Systems (secret-tool lookup, Host {host}, Benutzer {user})</translation>
    </message>
    <message>
        <source>aerc cannot be given a CA file (it trusts the system&apos;s certificate store): start it as `SSL_CERT_FILE={ca} aerc`, or have the CA added to the system store (Debian: copy it to /usr/local/share/ca-certificates/ as .crt and run update-ca-certificates)</source>
        <translation>aerc kann keine CA-Datei bekommen (es vertraut dem Zertifikatsspeicher des Systems): Starten Sie es als `SSL_CERT_FILE={ca} aerc`, oder lassen Sie das CA-Zertifikat in den Speicher des Systems aufnehmen (Debian: als .crt nach /usr/local/share/ca-certificates/ kopieren und update-ca-certificates ausführen)</translation>
    </message>
    <message>
        <source>aerc refuses {path} while others can read it: run `chmod 600 {path}`</source>
        <translation>aerc lehnt {path} ab, solange andere die Datei lesen können: Führen Sie `chmod 600 {path}` aus</translation>
    </message>
    <message>
        <source>git send-email is not installed (Debian: the git-email package)</source>
        <translation>git send-email ist nicht installiert (Debian: das Paket git-email)</translation>
    </message>
    <message>
        <source>git is not installed: it is needed to edit its configuration</source>
        <translation>git ist nicht installiert: Es wird gebraucht, um seine Einstellungen zu bearbeiten</translation>
    </message>
    <message>
        <source>git send-email asks `relay-setup credential` for the password of smtp://{host}:{port}: it comes from the OS keyring</source>
        <translation>git send-email fragt `relay-setup credential` nach dem Passwort für smtp://{host}:{port}: Es kommt aus dem Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>removed sendemail.smtpPass: a password does not belong in a file</source>
        <translation>sendemail.smtpPass entfernt: Ein Passwort gehört nicht in eine Datei</translation>
    </message>
    <message>
        <source>{path}, line {number} keeps a password in the file (smtp_pass): remove it</source>
        <translation>{path}, Zeile {number} hält ein Passwort in der Datei (smtp_pass): Entfernen Sie es</translation>
    </message>
    <message>
        <source>{path}, line {number} sets {variable} after the relay-setup block and overrides it</source>
        <translation>{path}, Zeile {number} setzt {variable} nach dem Relay-Setup-Block und überschreibt ihn</translation>
    </message>
    <message>
        <source>{path}, line {number} sources a file after the relay-setup block: what it sets wins (the block is best kept last)</source>
        <translation>{path}, Zeile {number} lädt eine Datei nach dem Relay-Setup-Block: Was sie setzt, gilt (der Block steht am besten zuletzt)</translation>
    </message>
    <message>
        <source>this {name} was built without SMTP support: it cannot send through the relay</source>
        <translation>dieses {name} wurde ohne SMTP-Unterstützung gebaut: Es kann nicht über den Relay-Server senden</translation>
    </message>
    <message>
        <source>{name} reads the password from the OS keyring when it starts (secret-tool lookup, host {host}, user {user}); with the keyring locked it asks for it</source>
        <translation>{name} liest das Passwort beim Start aus dem Schlüsselbund des Systems (secret-tool lookup, Host {host}, Benutzer {user}); ist der Schlüsselbund gesperrt, fragt es danach</translation>
    </message>
    <message>
        <source>{name} is not installed: the configuration is ready for when it is</source>
        <translation>{name} ist nicht installiert: Die Einstellungen sind bereit, sobald es installiert ist</translation>
    </message>
</context>
<context>
    <name>demo</name>
    <message>
        <source>the Relay Setup demo relay on this computer</source>
        <translation>dem Demo-Relay-Server von Relay Setup auf diesem Computer</translation>
    </message>
</context>
<context>
    <name>diagnostics</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>Begrüßung</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>Never greeted in clear; spoke TLS from the first byte</source>
        <translation>Nie unverschlüsselt begrüßt; sprach TLS ab dem ersten Byte</translation>
    </message>
    <message>
        <source>Offers STARTTLS</source>
        <translation>Bietet STARTTLS an</translation>
    </message>
    <message>
        <source>Extensions before TLS</source>
        <translation>Erweiterungen vor TLS</translation>
    </message>
    <message>
        <source>Extensions after TLS</source>
        <translation>Erweiterungen nach TLS</translation>
    </message>
    <message>
        <source>Login before TLS</source>
        <translation>Anmeldung vor TLS</translation>
    </message>
    <message>
        <source>Login after TLS</source>
        <translation>Anmeldung nach TLS</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>geprüft</translation>
    </message>
    <message>
        <source>pinned</source>
        <translation>festgelegt</translation>
    </message>
    <message>
        <source>NOT trusted</source>
        <translation>NICHT vertrauenswürdig</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Gültig</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>discover</name>
    <message>
        <source>CA file: {error}</source>
        <translation>CA-Datei: {error}</translation>
    </message>
    <message>
        <source>failed: {error}</source>
        <translation>fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>HTTP {status}</source>
        <translation>HTTP {status}</translation>
    </message>
    <message>
        <source>redirect to http refused</source>
        <translation>Weiterleitung auf http abgelehnt</translation>
    </message>
    <message>
        <source>redirect to {scheme} refused</source>
        <translation>Weiterleitung auf {scheme} abgelehnt</translation>
    </message>
    <message>
        <source>more than {count} redirects</source>
        <translation>mehr als {count} Weiterleitungen</translation>
    </message>
    <message>
        <source>compressed body refused</source>
        <translation>komprimierter Inhalt abgelehnt</translation>
    </message>
    <message>
        <source>larger than {size} bytes</source>
        <translation>größer als {size} Bytes</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>certificate does not verify: {why}</source>
        <translation>Zertifikat lässt sich nicht prüfen: {why}</translation>
    </message>
    <message>
        <source>connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>no address</source>
        <translation>keine Adresse</translation>
    </message>
    <message>
        <source>no server answered</source>
        <translation>kein Server hat geantwortet</translation>
    </message>
    <message>
        <source>lookup failed</source>
        <translation>Abfrage fehlgeschlagen</translation>
    </message>
    <message>
        <source>lookup failed: {error}</source>
        <translation>Abfrage fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>bad record: {why}</source>
        <translation>ungültiger Eintrag: {why}</translation>
    </message>
    <message>
        <source>domain accepts no mail (null MX)</source>
        <translation>die Domain nimmt keine Mail an (Null-MX)</translation>
    </message>
    <message>
        <source>the profile</source>
        <translation>das Profil</translation>
    </message>
    <message>
        <source>the local drop-in file</source>
        <translation>die lokale Drop-in-Datei</translation>
    </message>
    <message>
        <source>autoconfig</source>
        <translation>Autoconfig</translation>
    </message>
    <message>
        <source>DNS SRV</source>
        <translation>DNS-SRV</translation>
    </message>
    <message>
        <source>autoconfig over plain http</source>
        <translation>Autoconfig über unverschlüsseltes http</translation>
    </message>
    <message>
        <source>the MX record</source>
        <translation>der MX-Eintrag</translation>
    </message>
    <message>
        <source>a guess</source>
        <translation>eine Vermutung</translation>
    </message>
    <message>
        <source>implicit TLS</source>
        <translation>implizites TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>unverschlüsselt</translation>
    </message>
    <message>
        <source>is closed</source>
        <translation>ist geschlossen</translation>
    </message>
    <message>
        <source>does not answer</source>
        <translation>antwortet nicht</translation>
    </message>
    <message>
        <source>has a certificate that does not verify</source>
        <translation>hat ein Zertifikat, das sich nicht prüfen lässt</translation>
    </message>
    <message>
        <source>offers no TLS</source>
        <translation>bietet kein TLS an</translation>
    </message>
    <message>
        <source>offers no password login after TLS</source>
        <translation>bietet nach TLS keine Anmeldung mit Passwort an</translation>
    </message>
    <message>
        <source>fails ({status})</source>
        <translation>scheitert ({status})</translation>
    </message>
    <message>
        <source>{port} ({tls}) works</source>
        <translation>{port} ({tls}) funktioniert</translation>
    </message>
    <message>
        <source>{who} says plain on {port}: never used</source>
        <translation>laut {who} unverschlüsselt auf {port}: wird nie verwendet</translation>
    </message>
    <message>
        <source>{who} says plain: never used</source>
        <translation>laut {who} unverschlüsselt: wird nie verwendet</translation>
    </message>
    <message>
        <source>{who} says {tls} on {port}</source>
        <translation>laut {who} {tls} auf {port}</translation>
    </message>
    <message>
        <source>{who} says port on {port}</source>
        <translation>laut {who} Port {port}</translation>
    </message>
    <message>
        <source>{claim}, but {port} speaks {tls}</source>
        <translation>{claim}, aber {port} spricht {tls}</translation>
    </message>
    <message>
        <source>{claim}, but {host} does not resolve</source>
        <translation>{claim}, aber {host} lässt sich nicht auflösen</translation>
    </message>
    <message>
        <source>{claim}, but {port} {what}; {works}</source>
        <translation>{claim}, aber {port} {what}; {works}</translation>
    </message>
    <message>
        <source>{claim}, but {port} {what}</source>
        <translation>{claim}, aber {port} {what}</translation>
    </message>
    <message>
        <source>not waited for: a relay from a more trusted source was proven first</source>
        <translation>nicht abgewartet: Ein Relay-Server aus einer vertrauenswürdigeren Quelle war zuerst bestätigt</translation>
    </message>
    <message>
        <source>no result before the overall time limit</source>
        <translation>kein Ergebnis vor dem Ablauf der Gesamtzeit</translation>
    </message>
    <message>
        <source>service explicitly not offered</source>
        <translation>Dienst ausdrücklich nicht angeboten</translation>
    </message>
    <message>
        <source>not a Mozilla autoconfig file (&lt;{tag}&gt;, no &lt;clientConfig&gt;)</source>
        <translation>keine Mozilla-Autoconfig-Datei (&lt;{tag}&gt;, kein &lt;clientConfig&gt;)</translation>
    </message>
    <message>
        <source>no outgoing SMTP server in the file</source>
        <translation>kein SMTP-Postausgangs-Server in der Datei</translation>
    </message>
    <message>
        <source>not well-formed XML: {error}</source>
        <translation>kein wohlgeformtes XML: {error}</translation>
    </message>
</context>
<context>
    <name>done</name>
    <message>
        <source>msmtp takes the password from your keyring when it sends: nothing to restart.</source>
        <translation>msmtp holt das Passwort beim Senden aus Ihrem Schlüsselbund: Nichts neu zu starten.</translation>
    </message>
    <message>
        <source>Restart Alpine if it is open: it asks for the password on the first send.</source>
        <translation>Starten Sie Alpine neu, falls es offen ist: Es fragt beim ersten Senden nach dem Passwort.</translation>
    </message>
    <message>
        <source>Start Thunderbird: it asks for the password on the first send and can remember it.</source>
        <translation>Starten Sie Thunderbird: Es fragt beim ersten Senden nach dem Passwort und kann es sich merken.</translation>
    </message>
    <message>
        <source>Restart %1 if it is open: it takes the password from your keyring when it starts.</source>
        <translation>Starten Sie %1 neu, falls es offen ist: Es holt das Passwort beim Start aus Ihrem Schlüsselbund.</translation>
    </message>
    <message>
        <source>Restart aerc if it is open: it takes the password from your keyring when it sends.</source>
        <translation>Starten Sie aerc neu, falls es offen ist: Es holt das Passwort beim Senden aus Ihrem Schlüsselbund.</translation>
    </message>
    <message>
        <source>git send-email takes the password from your keyring when it sends.</source>
        <translation>git send-email holt das Passwort beim Senden aus Ihrem Schlüsselbund.</translation>
    </message>
    <message>
        <source>Restart %1 if it is open.</source>
        <translation>Starten Sie %1 neu, falls es offen ist.</translation>
    </message>
</context>
<context>
    <name>explain</name>
    <message>
        <source>server said: %1</source>
        <translation>der Server sagte: %1</translation>
    </message>
    <message>
        <source>answers</source>
        <translation>antwortet</translation>
    </message>
    <message>
        <source>unknown name</source>
        <translation>unbekannter Name</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgewiesen</translation>
    </message>
    <message>
        <source>blocked by this network?</source>
        <translation>von diesem Netz gesperrt?</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>stumm</translation>
    </message>
    <message>
        <source>not a mail server</source>
        <translation>kein Mailserver</translation>
    </message>
    <message>
        <source>someone else answers</source>
        <translation>jemand anderes antwortet</translation>
    </message>
    <message>
        <source>refuses service</source>
        <translation>verweigert den Dienst</translation>
    </message>
    <message>
        <source>encryption failed</source>
        <translation>Verschlüsselung gescheitert</translation>
    </message>
    <message>
        <source>possible downgrade</source>
        <translation>möglicher Downgrade</translation>
    </message>
    <message>
        <source>certificate problem</source>
        <translation>Zertifikatsproblem</translation>
    </message>
    <message>
        <source>hung up</source>
        <translation>aufgelegt</translation>
    </message>
    <message>
        <source>broken replies</source>
        <translation>kaputte Antworten</translation>
    </message>
    <message>
        <source>too slow</source>
        <translation>zu langsam</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>the relay&apos;s name does not resolve: check its spelling</source>
        <translation>der Name des Relay-Servers lässt sich nicht auflösen: Prüfen Sie die Schreibweise</translation>
    </message>
    <message>
        <source>connection refused: nothing listens on this port, or a firewall rejects it</source>
        <translation>Verbindung abgelehnt: Auf diesem Port lauscht nichts, oder eine Firewall weist sie ab</translation>
    </message>
    <message>
        <source>no answer at all: this network (hotel, café, mobile) probably blocks this port</source>
        <translation>gar keine Antwort: Dieses Netz (Hotel, Café, Mobilfunk) sperrt diesen Port wahrscheinlich</translation>
    </message>
    <message>
        <source>accepted the connection but said nothing</source>
        <translation>nahm die Verbindung an, sagte aber nichts</translation>
    </message>
    <message>
        <source>something else answered: this is not a mail server port</source>
        <translation>etwas anderes antwortete: Das ist kein Port eines Mailservers</translation>
    </message>
    <message>
        <source>answered by someone else&apos;s mail server, not your relay: no password goes there</source>
        <translation>beantwortet vom Mailserver eines anderen, nicht von Ihrem Relay-Server: Dorthin geht kein Passwort</translation>
    </message>
    <message>
        <source>the server refuses service to this network</source>
        <translation>der Server verweigert diesem Netz den Dienst</translation>
    </message>
    <message>
        <source>offers encryption (STARTTLS) but it failed</source>
        <translation>bietet Verschlüsselung (STARTTLS) an, aber sie scheiterte</translation>
    </message>
    <message>
        <source>encryption was expected but is not offered: possible downgrade attack, refused</source>
        <translation>Verschlüsselung war erwartet, wird aber nicht angeboten: möglicher Downgrade-Angriff, abgelehnt</translation>
    </message>
    <message>
        <source>the encrypted connection (TLS) could not be set up</source>
        <translation>die verschlüsselte Verbindung (TLS) kam nicht zustande</translation>
    </message>
    <message>
        <source>the server&apos;s certificate cannot be trusted</source>
        <translation>dem Zertifikat des Servers ist nicht zu trauen</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>der Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>the server broke the SMTP protocol (garbled or overlong replies, or it refused EHLO)</source>
        <translation>der Server verletzte das SMTP-Protokoll (verstümmelte oder überlange Antworten, oder er lehnte EHLO ab)</translation>
    </message>
    <message>
        <source>too slow: the time limit ran out</source>
        <translation>zu langsam: Die Zeit ist abgelaufen</translation>
    </message>
    <message>
        <source>unexpected error</source>
        <translation>unerwarteter Fehler</translation>
    </message>
    <message>
        <source>issued by an authority this computer does not know (a private CA? {ca})</source>
        <translation>von einer Stelle ausgestellt, die dieser Computer nicht kennt (eine private CA? {ca})</translation>
    </message>
    <message>
        <source>self-signed: nobody vouches for it</source>
        <translation>selbst signiert: Niemand bürgt dafür</translation>
    </message>
    <message>
        <source>made out for another name than the one you typed</source>
        <translation>auf einen anderen Namen ausgestellt als den eingegebenen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>not valid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>a secure setting was found</source>
        <translation>eine sichere Einstellung wurde gefunden</translation>
    </message>
    <message>
        <source>no port of the relay could be reached from this network</source>
        <translation>kein Port des Relay-Servers ist aus diesem Netz erreichbar</translation>
    </message>
    <message>
        <source>the relay answers, but its encryption or certificate has a problem</source>
        <translation>der Relay-Server antwortet, aber seine Verschlüsselung oder sein Zertifikat hat ein Problem</translation>
    </message>
    <message>
        <source>the relay answers, but offers no encrypted login</source>
        <translation>der Relay-Server antwortet, bietet aber keine verschlüsselte Anmeldung an</translation>
    </message>
    <message>
        <source>the relay could not be reached on this port from this network</source>
        <translation>der Relay-Server war auf diesem Port aus diesem Netz nicht erreichbar</translation>
    </message>
    <message>
        <source>the server at this address will not serve mail to us</source>
        <translation>der Server unter dieser Adresse nimmt von uns keine Mail an</translation>
    </message>
    <message>
        <source>the server&apos;s certificate cannot be trusted: no password was sent</source>
        <translation>dem Zertifikat des Servers ist nicht zu trauen: Es wurde kein Passwort gesendet</translation>
    </message>
    <message>
        <source>encryption was expected but the server does not offer it: possibly someone in between removed it (a downgrade attack). No password was sent</source>
        <translation>Verschlüsselung war erwartet, aber der Server bietet sie nicht an: Vielleicht hat jemand dazwischen sie entfernt (ein Downgrade-Angriff). Es wurde kein Passwort gesendet</translation>
    </message>
    <message>
        <source>the server says encryption is required first</source>
        <translation>der Server verlangt zuerst Verschlüsselung</translation>
    </message>
    <message>
        <source>the server offers no password login after encryption</source>
        <translation>der Server bietet nach der Verschlüsselung keine Anmeldung mit Passwort an</translation>
    </message>
    <message>
        <source>the server refused this login method: {auth}</source>
        <translation>der Server lehnte diese Anmeldemethode ab: {auth}</translation>
    </message>
    <message>
        <source>wrong user name or password</source>
        <translation>falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message>
        <source>a temporary problem at the server: try again in a few minutes</source>
        <translation>ein vorübergehendes Problem am Server: Versuchen Sie es in ein paar Minuten wieder</translation>
    </message>
    <message>
        <source>the relay refused to pass the message on: it does not consider you logged in as expected</source>
        <translation>der Relay-Server weigerte sich, die Nachricht weiterzugeben: Er hält Sie nicht für wie erwartet angemeldet</translation>
    </message>
    <message>
        <source>the From address is not one this login may send as</source>
        <translation>mit dieser Anmeldung darf nicht von dieser Absenderadresse gesendet werden</translation>
    </message>
    <message>
        <source>the recipient address was refused</source>
        <translation>die Empfängeradresse wurde abgelehnt</translation>
    </message>
    <message>
        <source>the message is larger than the server accepts</source>
        <translation>die Nachricht ist größer, als der Server annimmt</translation>
    </message>
    <message>
        <source>the server refused the message</source>
        <translation>der Server lehnte die Nachricht ab</translation>
    </message>
    <message>
        <source>the server was too slow: the time limit ran out</source>
        <translation>der Server war zu langsam: Die Zeit ist abgelaufen</translation>
    </message>
    <message>
        <source>no usable e-mail address</source>
        <translation>keine brauchbare E-Mail-Adresse</translation>
    </message>
    <message>
        <source>an unexpected error</source>
        <translation>ein unerwarteter Fehler</translation>
    </message>
    <message>
        <source>implicit TLS</source>
        <translation>implizitem TLS</translation>
    </message>
    <message>
        <source>no encryption</source>
        <translation>ohne Verschlüsselung</translation>
    </message>
    <message>
        <source>answers WITHOUT encryption: insecure, never used for a password</source>
        <translation>antwortet OHNE Verschlüsselung: unsicher, nie für ein Passwort benutzt</translation>
    </message>
    <message>
        <source>TLS from the first byte</source>
        <translation>TLS ab dem ersten Byte</translation>
    </message>
    <message>
        <source>certificate pinned by you</source>
        <translation>Zertifikat von Ihnen festgelegt</translation>
    </message>
    <message>
        <source>certificate verified</source>
        <translation>Zertifikat geprüft</translation>
    </message>
    <message>
        <source>{mode}, {trust}, but no password login offered after encryption</source>
        <translation>{mode}, {trust}, aber nach der Verschlüsselung keine Anmeldung mit Passwort angeboten</translation>
    </message>
    <message>
        <source>{mode}, {trust}, login {mechanisms} (login only after encryption: good)</source>
        <translation>{mode}, {trust}, Anmeldung {mechanisms} (Anmeldung erst nach Verschlüsselung: gut)</translation>
    </message>
    <message>
        <source>{mode}, {trust}, login {mechanisms}</source>
        <translation>{mode}, {trust}, Anmeldung {mechanisms}</translation>
    </message>
    <message>
        <source>certificate {why}</source>
        <translation>Zertifikat {why}</translation>
    </message>
    <message>
        <source>answered by a web page (a captive portal?), not your relay</source>
        <translation>beantwortet von einer Webseite (ein Anmeldeportal?), nicht von Ihrem Relay-Server</translation>
    </message>
    <message>
        <source>use port {port} with {mode}, login {mechanism}, certificate pinned</source>
        <translation>Port {port} mit {mode} verwenden, Anmeldung {mechanism}, Zertifikat festgelegt</translation>
    </message>
    <message>
        <source>use port {port} with {mode}, login {mechanism}</source>
        <translation>Port {port} mit {mode} verwenden, Anmeldung {mechanism}</translation>
    </message>
    <message>
        <source>This network blocks port {ports} (no answer at all).</source>
        <translation>Dieses Netz sperrt Port {ports} (gar keine Antwort).</translation>
    </message>
    <message>
        <source>This network blocks ports {ports} (no answer at all).</source>
        <translation>Dieses Netz sperrt die Ports {ports} (gar keine Antwort).</translation>
    </message>
    <message>
        <source>Port {ports} on this network is answered by someone else&apos;s mail server, not your relay.</source>
        <translation>Port {ports} wird in diesem Netz vom Mailserver eines anderen beantwortet, nicht von Ihrem Relay-Server.</translation>
    </message>
    <message>
        <source>Ports {ports} on this network are answered by someone else&apos;s mail server, not your relay.</source>
        <translation>Die Ports {ports} werden in diesem Netz vom Mailserver eines anderen beantwortet, nicht von Ihrem Relay-Server.</translation>
    </message>
    <message>
        <source>Port {ports} on this network answered with a web page: log in to the network in a web browser first (a captive portal?).</source>
        <translation>Port {ports} hat in diesem Netz mit einer Webseite geantwortet: Melden Sie sich zuerst in einem Webbrowser beim Netz an (ein Anmeldeportal?).</translation>
    </message>
    <message>
        <source>Ports {ports} on this network answered with a web page: log in to the network in a web browser first (a captive portal?).</source>
        <translation>Die Ports {ports} haben in diesem Netz mit einer Webseite geantwortet: Melden Sie sich zuerst in einem Webbrowser beim Netz an (ein Anmeldeportal?).</translation>
    </message>
    <message>
        <source>Port {port} works: use it.</source>
        <translation>Port {port} funktioniert: Verwenden Sie ihn.</translation>
    </message>
    <message>
        <source>No port of your relay can be used from here: try another network.</source>
        <translation>Kein Port Ihres Relay-Servers ist von hier aus nutzbar: Versuchen Sie ein anderes Netz.</translation>
    </message>
    <message>
        <source>{verdict}.</source>
        <translation>{verdict}.</translation>
    </message>
</context>
<context>
    <name>keyring</name>
    <message>
        <source>host</source>
        <translation>einen Host</translation>
    </message>
    <message>
        <source>user</source>
        <translation>einen Benutzer</translation>
    </message>
    <message>
        <source>the keyring entry needs a {what}: one line of printable text</source>
        <translation>der Eintrag im Schlüsselbund braucht {what}: eine Zeile druckbaren Text</translation>
    </message>
    <message>
        <source>install and unlock a Secret Service keyring (GNOME Keyring: the gnome-keyring package, or KWallet / KeePassXC with Secret Service enabled) and run from a desktop session, where D-Bus is available</source>
        <translation>installieren und entsperren Sie einen Secret-Service-Schlüsselbund (GNOME Keyring: das Paket gnome-keyring, oder KWallet / KeePassXC mit aktiviertem Secret Service) und starten Sie das Programm in einer Desktop-Sitzung, in der D-Bus verfügbar ist</translation>
    </message>
    <message>
        <source>check that the system keychain is available and unlocked</source>
        <translation>prüfen Sie, ob der Schlüsselbund des Systems verfügbar und entsperrt ist</translation>
    </message>
    <message>
        <source>no usable OS keyring ({error}): {todo}</source>
        <translation>kein nutzbarer Schlüsselbund des Systems ({error}): {todo}</translation>
    </message>
    <message>
        <source>no usable OS keyring (keyring chose {backend}, and a file or plaintext store is never used for a password): {todo}</source>
        <translation>kein nutzbarer Schlüsselbund des Systems (keyring wählte {backend}, und ein Speicher in einer Datei oder im Klartext wird nie für ein Passwort verwendet): {todo}</translation>
    </message>
    <message>
        <source>the keyring entry is locked: unlock your keyring</source>
        <translation>der Eintrag im Schlüsselbund ist gesperrt: Entsperren Sie Ihren Schlüsselbund</translation>
    </message>
    <message>
        <source>the keyring is locked and was not unlocked: unlock it and retry</source>
        <translation>der Schlüsselbund ist gesperrt und wurde nicht entsperrt: Entsperren Sie ihn und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>the OS keyring failed ({error}); {todo}</source>
        <translation>der Schlüsselbund des Systems ist fehlgeschlagen ({error}); {todo}</translation>
    </message>
</context>
<context>
    <name>remedy</name>
    <message>
        <source>choose the organisation&apos;s CA file with “Choose CA file…” or on the first page</source>
        <translation>wählen Sie die CA-Datei der Organisation mit „CA-Datei wählen…“ oder auf der ersten Seite</translation>
    </message>
    <message>
        <source>ask your IT department which login method the relay takes</source>
        <translation>fragen Sie Ihre IT-Abteilung, welche Anmeldemethode der Relay-Server nimmt</translation>
    </message>
    <message>
        <source>set the mail program up with the Relay Setup command instead</source>
        <translation>richten Sie das Mailprogramm stattdessen mit dem Befehl von Relay Setup ein</translation>
    </message>
    <message>
        <source>type your email address on the first page</source>
        <translation>geben Sie Ihre E-Mail-Adresse auf der ersten Seite ein</translation>
    </message>
    <message>
        <source>put the backup back by hand if you want the old file</source>
        <translation>spielen Sie die Sicherung von Hand zurück, wenn Sie die alte Datei wollen</translation>
    </message>
    <message>
        <source>ask your IT department for the PEM (text) form</source>
        <translation>fragen Sie Ihre IT-Abteilung nach der PEM-Form (Text)</translation>
    </message>
</context>
<context>
    <name>status</name>
    <message>
        <source>Done</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>In Arbeit</translation>
    </message>
</context>
<context>
    <name>values</name>
    <message>
        <source>not an email address: {email}</source>
        <translation>keine E-Mail-Adresse: {email}</translation>
    </message>
    <message>
        <source>{email} is not an address of {organisation} ({domains})</source>
        <translation>{email} ist keine Adresse von {organisation} ({domains})</translation>
    </message>
    <message>
        <source>{role} {value}: {why}</source>
        <translation>{role} {value}: {why}</translation>
    </message>
    <message>
        <source>holds the control character {code}</source>
        <translation>enthält das Steuerzeichen {code}</translation>
    </message>
    <message>
        <source>is not text</source>
        <translation>ist kein Text</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>ist leer</translation>
    </message>
    <message>
        <source>write an IPv6 address as [ADDRESS]:PORT</source>
        <translation>schreiben Sie eine IPv6-Adresse als [ADRESSE]:PORT</translation>
    </message>
    <message>
        <source>is not an IP address (IP, IP:PORT or [IPv6]:PORT)</source>
        <translation>ist keine IP-Adresse (IP, IP:PORT oder [IPv6]:PORT)</translation>
    </message>
    <message>
        <source>is an IP address, not a domain name</source>
        <translation>ist eine IP-Adresse, kein Domainname</translation>
    </message>
    <message>
        <source>not a valid service label (_name)</source>
        <translation>keine gültige Dienstbezeichnung (_name)</translation>
    </message>
    <message>
        <source>is longer than {limit} characters</source>
        <translation>ist länger als {limit} Zeichen</translation>
    </message>
    <message>
        <source>an IPv6 zone (%...) is not supported</source>
        <translation>eine IPv6-Zone (%...) wird nicht unterstützt</translation>
    </message>
    <message>
        <source>is not a valid host name: {char} is not allowed</source>
        <translation>ist kein gültiger Hostname: {char} ist nicht erlaubt</translation>
    </message>
    <message>
        <source>is not a valid host name ({reason})</source>
        <translation>ist kein gültiger Hostname ({reason})</translation>
    </message>
    <message>
        <source>is not a valid host name: each dot-separated part is 1 to {limit} letters, digits or inner hyphens</source>
        <translation>ist kein gültiger Hostname: Jeder durch Punkte getrennte Teil besteht aus 1 bis {limit} Buchstaben, Ziffern oder inneren Bindestrichen</translation>
    </message>
    <message>
        <source>is neither an IP address nor a host name</source>
        <translation>ist weder eine IP-Adresse noch ein Hostname</translation>
    </message>
    <message>
        <source>is not a port number</source>
        <translation>ist keine Portnummer</translation>
    </message>
    <message>
        <source>is not a port number (1 to 65535)</source>
        <translation>ist keine Portnummer (1 bis 65535)</translation>
    </message>
    <message>
        <source>is out of range (1 to 65535)</source>
        <translation>liegt außerhalb des Bereichs (1 bis 65535)</translation>
    </message>
    <message>
        <source>starts or ends with a blank</source>
        <translation>beginnt oder endet mit einem Leerzeichen</translation>
    </message>
    <message>
        <source>is not an e-mail address (name@domain)</source>
        <translation>ist keine E-Mail-Adresse (name@domain)</translation>
    </message>
    <message>
        <source>has blanks, quotes or &lt;&gt;()[],;:\ before the @</source>
        <translation>hat Leerzeichen, Anführungszeichen oder &lt;&gt;()[],;:\ vor dem @</translation>
    </message>
    <message>
        <source>its domain {why}</source>
        <translation>die Domain {why}</translation>
    </message>
    <message>
        <source>its domain must be a name, not an IP address</source>
        <translation>die Domain muss ein Name sein, keine IP-Adresse</translation>
    </message>
    <message>
        <source>port 0</source>
        <translation>Port 0</translation>
    </message>
    <message>
        <source>is missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>is not SSL, STARTTLS or plain</source>
        <translation>ist weder SSL noch STARTTLS noch plain</translation>
    </message>
    <message>
        <source>unknown port mode {mode} (use implicit or starttls)</source>
        <translation>unbekannte Port-Art {mode} (implicit oder starttls verwenden)</translation>
    </message>
</context>
</TS>
