<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <source>OpenGrid desktop dashboard</source>
        <translation>OpenGrid-Desktop-Dashboard</translation>
    </message>
    <message>
        <source>Use a dark palette whatever the system&apos;s is.</source>
        <translation>Eine dunkle Farbpalette verwenden, unabhängig von der des Systems.</translation>
    </message>
    <message>
        <source>Interface language (en, de).</source>
        <translation>Sprache der Oberfläche (en, de).</translation>
    </message>
</context>
<context>
    <name>og::ArtifactsView</name>
    <message>
        <source>Re&amp;load</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Select an experiment to see the files it created.</source>
        <translation>Ein Experiment auswählen, um die Dateien zu sehen, die es erzeugt hat.</translation>
    </message>
    <message>
        <source>Files %1 created</source>
        <translation>Von %1 erzeugte Dateien</translation>
    </message>
    <message>
        <source>%1 has created no files (yet).</source>
        <translation>%1 hat (noch) keine Dateien erzeugt.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
</context>
<context>
    <name>og::ChartsPanel</name>
    <message>
        <source>&amp;Log scale</source>
        <translation>&amp;Logarithmisch</translation>
    </message>
    <message>
        <source>Exponential smoothing (0 = off)</source>
        <translation>Exponentielle Glättung (0 = aus)</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Relative time</source>
        <translation>Relative Zeit</translation>
    </message>
    <message>
        <source>Wall time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>&amp;Reset zoom</source>
        <translation>Zoom &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Drag a rectangle on a chart to zoom in, right-click to zoom out</source>
        <translation>Zum Vergrößern ein Rechteck im Diagramm aufziehen, zum Verkleinern rechts klicken</translation>
    </message>
    <message>
        <source>&amp;Smoothing:</source>
        <translation>&amp;Glättung:</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>&amp;X-Achse:</translation>
    </message>
    <message>
        <source>No metrics yet. Scripts report them as JSON lines in $GRID_METRICS_FILE, TensorBoard files or Lightning CSV logs.</source>
        <translation>Noch keine Metriken. Skripte melden sie als JSON-Zeilen in $GRID_METRICS_FILE, als TensorBoard-Dateien oder als Lightning-CSV-Logs.</translation>
    </message>
    <message>
        <source>Select a run, or some of its experiments, to see their metrics here.</source>
        <translation>Einen Lauf oder einige seiner Experimente auswählen, um hier ihre Metriken zu sehen.</translation>
    </message>
</context>
<context>
    <name>og::ComputeChoices</name>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>latest</source>
        <translation>neueste</translation>
    </message>
    <message>
        <source>version %1</source>
        <translation>Version %1</translation>
    </message>
</context>
<context>
    <name>og::CredentialStore</name>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>keyring</source>
        <translation>Schlüsselbund</translation>
    </message>
</context>
<context>
    <name>og::DatastoreModel</name>
    <message>
        <source>version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>%1 (v%2)</source>
        <translation>%1 (v%2)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (v%2 of %n versions)</source>
        <translation>
            <numerusform>%1 (v%2 von %n Version)</numerusform>
            <numerusform>%1 (v%2 von %n Versionen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Version %1 failed: %2</source>
        <translation>Version %1 ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
</context>
<context>
    <name>og::DatastoresPanel</name>
    <message>
        <source>&amp;New datastore…</source>
        <translation>&amp;Neuer Datastore…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Filter datastores…</source>
        <translation>Datastores filtern…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>%1 version %2</source>
        <translation>%1 Version %2</translation>
    </message>
    <message>
        <source>Delete %1? Their files are removed from the platform; this cannot be undone.</source>
        <translation>%1 löschen? Die Dateien werden von der Plattform entfernt; das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Cannot delete %1 version %2: %3</source>
        <translation>%1 Version %2 lässt sich nicht löschen: %3</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No datastores yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Click &lt;b&gt;New datastore&lt;/b&gt; to upload a folder, a file or an archive,&lt;br&gt;or run &lt;code&gt;grid datastore create --source DIR&lt;/code&gt; in a terminal.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Noch keine Datastores.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Mit &lt;b&gt;Neuer Datastore&lt;/b&gt; einen Ordner, eine Datei oder ein Archiv hochladen&lt;br&gt;oder &lt;code&gt;grid datastore create --source DIR&lt;/code&gt; in einem Terminal ausführen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>No datastore matches the filter.</source>
        <translation>Kein Datastore passt zum Filter.</translation>
    </message>
</context>
<context>
    <name>og::ExperimentModel</name>
    <message>
        <source>Experiment</source>
        <translation>Experiment</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
</context>
<context>
    <name>og::FilePreview</name>
    <message>
        <source>Select a file to preview it.</source>
        <translation>Eine Datei auswählen, um sie anzusehen.</translation>
    </message>
    <message>
        <source>%1 × %2 pixels</source>
        <translation>%1 × %2 Pixel</translation>
    </message>
    <message>
        <source>%1 is a binary file; there is nothing to preview.</source>
        <translation>%1 ist eine Binärdatei; es gibt nichts anzuzeigen.</translation>
    </message>
    <message>
        <source>… (only the first %1 are shown)</source>
        <translation>… (nur die ersten %1 werden angezeigt)</translation>
    </message>
</context>
<context>
    <name>og::FilteredView</name>
    <message>
        <source>Filter…</source>
        <translation>Filtern…</translation>
    </message>
</context>
<context>
    <name>og::LogView</name>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Mitlaufen</translation>
    </message>
    <message>
        <source>Keep the newest lines in view</source>
        <translation>Die neuesten Zeilen im Blick behalten</translation>
    </message>
    <message>
        <source>Select an experiment to see its log.</source>
        <translation>Ein Experiment auswählen, um sein Log zu sehen.</translation>
    </message>
    <message>
        <source>Log of %1</source>
        <translation>Log von %1</translation>
    </message>
    <message>
        <source>Log of %1: %2</source>
        <translation>Log von %1: %2</translation>
    </message>
</context>
<context>
    <name>og::MainWindow</name>
    <message>
        <source>OpenGrid</source>
        <translation>OpenGrid</translation>
    </message>
    <message>
        <source>Datastores</source>
        <translation>Datastores</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>Neu &amp;verbinden</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Datastores</source>
        <translation>&amp;Datastores</translation>
    </message>
    <message>
        <source>&amp;Sessions</source>
        <translation>&amp;Sitzungen</translation>
    </message>
    <message>
        <source>&amp;Runs</source>
        <translation>&amp;Läufe</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About OpenGrid</source>
        <translation>&amp;Über OpenGrid</translation>
    </message>
    <message>
        <source>About OpenGrid</source>
        <translation>Über OpenGrid</translation>
    </message>
    <message>
        <source>&lt;h3&gt;OpenGrid %1&lt;/h3&gt;&lt;p&gt;Datastores, sessions and hyperparameter sweeps on your own machines.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later&lt;/p&gt;</source>
        <translation>&lt;h3&gt;OpenGrid %1&lt;/h3&gt;&lt;p&gt;Datastores, Sitzungen und Hyperparameter-Sweeps auf Ihren eigenen Rechnern.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Platform: starting the local platform…</source>
        <translation>Plattform: die lokale Plattform wird gestartet…</translation>
    </message>
    <message>
        <source>Platform: %1 (local)</source>
        <translation>Plattform: %1 (lokal)</translation>
    </message>
    <message>
        <source>Platform: %1</source>
        <translation>Plattform: %1</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Benutzer: %1</translation>
    </message>
    <message>
        <source>Connection to the platform lost; reconnecting… What you see is kept and updates when it is back.</source>
        <translation>Verbindung zur Plattform verloren; neuer Versuch läuft… Die Ansicht bleibt erhalten und wird aktualisiert, sobald die Verbindung zurück ist.</translation>
    </message>
    <message>
        <source>The platform cannot be reached: %1 Retrying.</source>
        <translation>Die Plattform ist nicht erreichbar: %1 Neuer Versuch folgt.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The new language applies the next time OpenGrid starts.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von OpenGrid.</translation>
    </message>
    <message>
        <source>Cannot store the API key (%1): %2</source>
        <translation>Der API-Schlüssel lässt sich nicht speichern (%1): %2</translation>
    </message>
    <message>
        <source>S&amp;essions</source>
        <translation>&amp;Sitzungen</translation>
    </message>
</context>
<context>
    <name>og::MessageBanner</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>og::MetricChart</name>
    <message>
        <source>wall time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>Schritt %1</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1
%2 = %3 at %4</source>
        <translation>%1
%2 = %3 bei %4</translation>
    </message>
    <message>
        <source>time since the first point</source>
        <translation>Zeit seit dem ersten Punkt</translation>
    </message>
    <message>
        <source>No values above zero to show on a log scale.</source>
        <translation>Keine Werte über null, die sich logarithmisch darstellen ließen.</translation>
    </message>
    <message>
        <source>No points yet.</source>
        <translation>Noch keine Punkte.</translation>
    </message>
</context>
<context>
    <name>og::NewDatastoreDialog</name>
    <message>
        <source>Extract the archive and upload its contents</source>
        <translation>Archiv entpacken und seinen Inhalt hochladen</translation>
    </message>
    <message>
        <source>New datastore</source>
        <translation>Neuer Datastore</translation>
    </message>
    <message>
        <source>A folder, a file, an archive, or an https:// URL of an archive</source>
        <translation>Ein Ordner, eine Datei, ein Archiv oder die https://-URL eines Archivs</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>Datei…</translation>
    </message>
    <message>
        <source>Choose a folder to upload</source>
        <translation>Ordner zum Hochladen wählen</translation>
    </message>
    <message>
        <source>Choose a file or an archive</source>
        <translation>Datei oder Archiv wählen</translation>
    </message>
    <message>
        <source>&amp;Upload</source>
        <translation>&amp;Hochladen</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Choose what to upload.</source>
        <translation>Wählen Sie, was hochgeladen werden soll.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 existiert nicht.</translation>
    </message>
    <message>
        <source>Datastore</source>
        <translation>Datastore</translation>
    </message>
    <message>
        <source>The platform downloads the archive and makes a version of its contents.</source>
        <translation>Die Plattform lädt das Archiv herunter und macht aus seinem Inhalt eine Version.</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>&amp;Cancel upload</source>
        <translation>Hochladen &amp;abbrechen</translation>
    </message>
    <message>
        <source>Asking the platform to download %1…</source>
        <translation>Die Plattform wird gebeten, %1 herunterzuladen…</translation>
    </message>
    <message>
        <source>%1: %2 of %3 files, %4 of %5</source>
        <translation>%1: %2 von %3 Dateien, %4 von %5</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Upload cancelled. Upload the same source again to continue where it stopped.</source>
        <translation>Hochladen abgebrochen. Dieselbe Quelle erneut hochladen, um dort weiterzumachen, wo es aufgehört hat.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>og::NewRunDialog</name>
    <message>
        <source>New run</source>
        <translation>Neuer Lauf</translation>
    </message>
    <message>
        <source>train.py or run.sh, in a git repository or a folder</source>
        <translation>train.py oder run.sh, in einem Git-Repository oder einem Ordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the script</source>
        <translation>Skript wählen</translation>
    </message>
    <message>
        <source>Scripts (*.py *.sh);;All files (*)</source>
        <translation>Skripte (*.py *.sh);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Grid search (every combination)</source>
        <translation>Rastersuche (jede Kombination)</translation>
    </message>
    <message>
        <source>Random search (some combinations)</source>
        <translation>Zufallssuche (einige Kombinationen)</translation>
    </message>
    <message>
        <source>None (arguments verbatim)</source>
        <translation>Keine (Argumente wörtlich)</translation>
    </message>
    <message>
        <source>generated, e.g. gifted-seahorse-83</source>
        <translation>erzeugt, z. B. gifted-seahorse-83</translation>
    </message>
    <message>
        <source>&amp;Script:</source>
        <translation>&amp;Skript:</translation>
    </message>
    <message>
        <source>&amp;Arguments:</source>
        <translation>&amp;Argumente:</translation>
    </message>
    <message>
        <source>S&amp;trategy:</source>
        <translation>S&amp;trategie:</translation>
    </message>
    <message>
        <source>T&amp;rials:</source>
        <translation>&amp;Versuche:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>S&amp;eed:</translation>
    </message>
    <message>
        <source>&amp;Instance type:</source>
        <translation>&amp;Instanztyp:</translation>
    </message>
    <message>
        <source>&amp;Datastore:</source>
        <translation>&amp;Datastore:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Preview:</source>
        <translation>Vorschau:</translation>
    </message>
    <message>
        <source>Grid&apos;s run config. The script and arguments that are not flags stay on the form.</source>
        <translation>Grids Lauf-Konfiguration. Das Skript und Argumente, die keine Flags sind, bleiben im Formular.</translation>
    </message>
    <message>
        <source>&amp;Form</source>
        <translation>&amp;Formular</translation>
    </message>
    <message>
        <source>&amp;YAML</source>
        <translation>&amp;YAML</translation>
    </message>
    <message>
        <source>S&amp;ubmit</source>
        <translation>&amp;Absenden</translation>
    </message>
    <message>
        <source>the YAML tab</source>
        <translation>dem YAML-Reiter</translation>
    </message>
    <message>
        <source>Cloned from %1. Point Script at your local copy of %2 before submitting.</source>
        <translation>Von %1 geklont. Vor dem Absenden „Skript“ auf Ihre lokale Kopie von %2 zeigen lassen.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message numerus="yes">
        <source>%n experiment(s)</source>
        <translation>
            <numerusform>%n Experiment</numerusform>
            <numerusform>%n Experimente</numerusform>
        </translation>
    </message>
    <message>
        <source>, sweeping %1</source>
        <translation>, variiert %1</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… und %n weiteres</numerusform>
            <numerusform>… und %n weitere</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>og::NewSessionDialog</name>
    <message>
        <source>New session</source>
        <translation>Neue Sitzung</translation>
    </message>
    <message>
        <source>generated when empty, e.g. resnet-debugging</source>
        <translation>erzeugt, wenn leer, z. B. resnet-debugging</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Instance type:</source>
        <translation>&amp;Instanztyp:</translation>
    </message>
    <message>
        <source>&amp;Datastore:</source>
        <translation>&amp;Datastore:</translation>
    </message>
    <message>
        <source>&amp;Mount dir:</source>
        <translation>Einhänge&amp;verzeichnis:</translation>
    </message>
    <message>
        <source>Dis&amp;k size:</source>
        <translation>Platten&amp;größe:</translation>
    </message>
    <message>
        <source>The datastore is also at ~/datastore inside the session. Files in the session&apos;s home are kept when it is paused.</source>
        <translation>Der Datastore liegt in der Sitzung auch unter ~/datastore. Dateien im Home-Verzeichnis der Sitzung bleiben erhalten, wenn sie pausiert wird.</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>The mount dir must be an absolute path such as /datastores/%1.</source>
        <translation>Das Einhängeverzeichnis muss ein absoluter Pfad sein, etwa /datastores/%1.</translation>
    </message>
    <message>
        <source>choose a datastore first</source>
        <translation>zuerst einen Datastore wählen</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird erstellt…</translation>
    </message>
</context>
<context>
    <name>og::ParallelCoordinatesView</name>
    <message>
        <source>The metric on the last axis, and the colour of the lines</source>
        <translation>Die Metrik auf der letzten Achse und die Farbe der Linien</translation>
    </message>
    <message>
        <source>Select a run to compare its experiments.</source>
        <translation>Einen Lauf auswählen, um seine Experimente zu vergleichen.</translation>
    </message>
    <message>
        <source>Needs a swept hyperparameter and a metric to compare.</source>
        <translation>Zum Vergleichen braucht es einen variierten Hyperparameter und eine Metrik.</translation>
    </message>
</context>
<context>
    <name>og::PlatformSession</name>
    <message>
        <source>connecting</source>
        <translation>verbinde</translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>reconnecting</source>
        <translation>verbinde neu</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>No API key is stored for %1; enter one in Settings.</source>
        <translation>Für %1 ist kein API-Schlüssel gespeichert; bitte in den Einstellungen eingeben.</translation>
    </message>
    <message>
        <source>Cannot start the local platform: %1</source>
        <translation>Die lokale Plattform lässt sich nicht starten: %1</translation>
    </message>
    <message>
        <source>TLS error: %1</source>
        <translation>TLS-Fehler: %1</translation>
    </message>
</context>
<context>
    <name>og::RunModel</name>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>Experimente</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Laufend</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
</context>
<context>
    <name>og::RunSubmitJob</name>
    <message>
        <source>Taking a snapshot of the code…</source>
        <translation>Schnappschuss des Codes wird erstellt…</translation>
    </message>
    <message>
        <source>Uploading the code…</source>
        <translation>Code wird hochgeladen…</translation>
    </message>
    <message>
        <source>cannot upload the code: %1</source>
        <translation>der Code lässt sich nicht hochladen: %1</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>Wird abgesendet…</translation>
    </message>
</context>
<context>
    <name>og::RunsPanel</name>
    <message>
        <source>&amp;New run…</source>
        <translation>&amp;Neuer Lauf…</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>&amp;Clone…</source>
        <translation>&amp;Klonen…</translation>
    </message>
    <message>
        <source>Cannot clone: %1</source>
        <translation>Klonen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Filter runs…</source>
        <translation>Läufe filtern…</translation>
    </message>
    <message>
        <source>Filter experiments…</source>
        <translation>Experimente filtern…</translation>
    </message>
    <message>
        <source>&amp;Charts</source>
        <translation>&amp;Diagramme</translation>
    </message>
    <message>
        <source>&amp;Parallel coordinates</source>
        <translation>&amp;Parallele Koordinaten</translation>
    </message>
    <message>
        <source>&amp;Log</source>
        <translation>&amp;Log</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Cannot %1: %2</source>
        <translation>%1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Delete run %1 with its experiments&apos; logs, metrics and artifacts? This cannot be undone.</source>
        <translation>Lauf %1 mit den Logs, Metriken und Artefakten seiner Experimente löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>delete %1</source>
        <translation>Löschen von %1</translation>
    </message>
    <message>
        <source>&amp;Artifacts</source>
        <translation>A&amp;rtefakte</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No runs yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Click &lt;b&gt;New run&lt;/b&gt; to start a script or a sweep,&lt;br&gt;or run &lt;code&gt;grid run train.py --lr &quot;[0.1, 0.01]&quot;&lt;/code&gt; in a terminal.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Noch keine Läufe.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Auf &lt;b&gt;Neuer Lauf&lt;/b&gt; klicken, um ein Skript oder einen Sweep zu starten,&lt;br&gt;oder &lt;code&gt;grid run train.py --lr &quot;[0.1, 0.01]&quot;&lt;/code&gt; in einem Terminal ausführen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>No run matches the filter.</source>
        <translation>Kein Lauf passt zum Filter.</translation>
    </message>
    <message>
        <source>Select a run to see its experiments.</source>
        <translation>Einen Lauf auswählen, um seine Experimente zu sehen.</translation>
    </message>
    <message>
        <source>No experiment matches the filter.</source>
        <translation>Kein Experiment passt zum Filter.</translation>
    </message>
    <message>
        <source>This run has no experiments yet.</source>
        <translation>Dieser Lauf hat noch keine Experimente.</translation>
    </message>
</context>
<context>
    <name>og::SessionModel</name>
    <message>
        <source>Version %1 of %2, read-only at %3 and ~/datastore</source>
        <translation>Version %1 von %2, schreibgeschützt unter %3 und ~/datastore</translation>
    </message>
    <message>
        <source>Open SSH connections: %1, of them this app&apos;s terminals: %2</source>
        <translation>Offene SSH-Verbindungen: %1, davon Terminals dieser App: %2</translation>
    </message>
    <message>
        <source>Open SSH connections: %1</source>
        <translation>Offene SSH-Verbindungen: %1</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>Sitzung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Instance type</source>
        <translation>Instanztyp</translation>
    </message>
    <message>
        <source>Datastore</source>
        <translation>Datastore</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
</context>
<context>
    <name>og::SessionsPanel</name>
    <message>
        <source>&amp;New session…</source>
        <translation>&amp;Neue Sitzung…</translation>
    </message>
    <message>
        <source>Open &amp;terminal</source>
        <translation>&amp;Terminal öffnen</translation>
    </message>
    <message>
        <source>Open in &amp;VS Code</source>
        <translation>In &amp;VS Code öffnen</translation>
    </message>
    <message>
        <source>Copy &amp;ssh command</source>
        <translation>&amp;ssh-Befehl kopieren</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>Change &amp;instance type…</source>
        <translation>&amp;Instanztyp ändern…</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Filter sessions…</source>
        <translation>Sitzungen filtern…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;No sessions yet.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A session is a machine on the platform that keeps running between connections, with your home directory and a datastore.&lt;/p&gt;&lt;p&gt;Click &lt;b&gt;New session&lt;/b&gt;, or run &lt;code&gt;grid session create&lt;/code&gt; in a terminal.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Noch keine Sitzungen.&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Eine Sitzung ist ein Rechner auf der Plattform, der zwischen den Verbindungen weiterläuft, mit Ihrem Home-Verzeichnis und einem Datastore.&lt;/p&gt;&lt;p&gt;Auf &lt;b&gt;Neue Sitzung&lt;/b&gt; klicken oder &lt;code&gt;grid session create&lt;/code&gt; in einem Terminal ausführen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>No session matches the filter.</source>
        <translation>Keine Sitzung passt zum Filter.</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Change instance type</source>
        <translation>Instanztyp ändern</translation>
    </message>
    <message>
        <source>Instance type of %1 (from its next resume):</source>
        <translation>Instanztyp von %1 (ab dem nächsten Fortsetzen):</translation>
    </message>
    <message>
        <source>Open in VS Code</source>
        <translation>In VS Code öffnen</translation>
    </message>
    <message>
        <source>Session %1 failed to start: %2</source>
        <translation>Sitzung %1 konnte nicht starten: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Cannot pause %1</source>
        <translation>%1 lässt sich nicht pausieren</translation>
    </message>
    <message>
        <source>Cannot resume %1</source>
        <translation>%1 lässt sich nicht fortsetzen</translation>
    </message>
    <message>
        <source>Delete session %1 with its home directory? Its files and everything installed in it are lost; this cannot be undone.</source>
        <translation>Sitzung %1 mit ihrem Home-Verzeichnis löschen? Die Dateien darin und alles dort Installierte gehen verloren; das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Cannot delete %1: %2</source>
        <translation>%1 lässt sich nicht löschen: %2</translation>
    </message>
    <message>
        <source>Cannot list the instance types: %1</source>
        <translation>Die Instanztypen lassen sich nicht abrufen: %1</translation>
    </message>
    <message>
        <source>Cannot change the instance type of %1</source>
        <translation>Der Instanztyp von %1 lässt sich nicht ändern</translation>
    </message>
    <message>
        <source>Session %1 is starting; its terminal opens as soon as it runs.</source>
        <translation>Sitzung %1 startet; ihr Terminal öffnet sich, sobald sie läuft.</translation>
    </message>
    <message>
        <source>Session %1 is %2, not running. Resume it once it is paused.</source>
        <translation>Sitzung %1 ist im Zustand %2 und läuft nicht. Sie lässt sich fortsetzen, sobald sie pausiert ist.</translation>
    </message>
    <message>
        <source>Session %1 is %2, not running. Resume it? Its terminal opens as soon as it runs.</source>
        <translation>Sitzung %1 ist im Zustand %2 und läuft nicht. Fortsetzen? Ihr Terminal öffnet sich, sobald sie läuft.</translation>
    </message>
    <message>
        <source>VS Code reaches sessions through the grid command-line tool, which is not installed here: put the directory with grid on PATH (make install, or build/bin).</source>
        <translation>VS Code erreicht Sitzungen über das Kommandozeilenwerkzeug grid, das hier nicht installiert ist: das Verzeichnis mit grid in den PATH aufnehmen (make install oder build/bin).</translation>
    </message>
    <message>
        <source>Cannot update the SSH configuration: %1</source>
        <translation>Die SSH-Konfiguration lässt sich nicht aktualisieren: %1</translation>
    </message>
    <message>
        <source>VS Code connects through the grid command-line tool, which is set up for another platform: run grid login --url %1 first.</source>
        <translation>VS Code verbindet sich über das Kommandozeilenwerkzeug grid, das für eine andere Plattform eingerichtet ist: zuerst grid login --url %1 ausführen.</translation>
    </message>
    <message>
        <source>&lt;p&gt;VS Code (&lt;code&gt;code&lt;/code&gt;) is not installed here. To open session %1 in VS Code:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;Install VS Code and its &quot;Remote - SSH&quot; extension.&lt;/li&gt;&lt;li&gt;Remote Explorer → SSH Targets: pick &quot;%1&quot; (OpenGrid wrote it to %2).&lt;/li&gt;&lt;/ol&gt;</source>
        <translation>&lt;p&gt;VS Code (&lt;code&gt;code&lt;/code&gt;) ist hier nicht installiert. So öffnen Sie Sitzung %1 in VS Code:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;VS Code und seine Erweiterung „Remote - SSH“ installieren.&lt;/li&gt;&lt;li&gt;Remote Explorer → SSH Targets: „%1“ wählen (OpenGrid hat es in %2 eingetragen).&lt;/li&gt;&lt;/ol&gt;</translation>
    </message>
    <message>
        <source>Cannot start VS Code (%1).</source>
        <translation>VS Code lässt sich nicht starten (%1).</translation>
    </message>
    <message>
        <source>Opening session %1 in VS Code…</source>
        <translation>Sitzung %1 wird in VS Code geöffnet…</translation>
    </message>
    <message>
        <source>Copied “%1” to the clipboard.</source>
        <translation>„%1“ in die Zwischenablage kopiert.</translation>
    </message>
</context>
<context>
    <name>og::SettingsDialog</name>
    <message>
        <source>&amp;Local platform on this computer (started when needed)</source>
        <translation>&amp;Lokale Plattform auf diesem Rechner (bei Bedarf gestartet)</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>only for a self-signed certificate</source>
        <translation>nur für ein selbstsigniertes Zertifikat</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>CA certificates (PEM)</source>
        <translation>CA-Zertifikate (PEM)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API-Schlüss&amp;el:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>S&amp;prache:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Platform&lt;/b&gt;</source>
        <translation>&lt;b&gt;Plattform&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The URL must look like https://host:port.</source>
        <translation>Die URL muss wie https://host:port aussehen.</translation>
    </message>
    <message>
        <source>A server away from this computer needs https://: the API key must not travel in clear text.</source>
        <translation>Ein Server auf einem anderen Rechner braucht https://: der API-Schlüssel darf nicht im Klartext reisen.</translation>
    </message>
    <message>
        <source>The API key looks like grid_&lt;12 letters or digits&gt;_&lt;64 hex digits&gt;.</source>
        <translation>Ein API-Schlüssel sieht so aus: grid_&lt;12 Buchstaben oder Ziffern&gt;_&lt;64 Hexziffern&gt;.</translation>
    </message>
    <message>
        <source>&amp;Platform</source>
        <translation>Pl&amp;attform</translation>
    </message>
    <message>
        <source>SSH &amp;keys</source>
        <translation>SS&amp;H-Schlüssel</translation>
    </message>
</context>
<context>
    <name>og::SshClient</name>
    <message>
        <source>the SSH tunnel to session %1 closed</source>
        <translation>der SSH-Tunnel zu Sitzung %1 wurde geschlossen</translation>
    </message>
    <message>
        <source>SSH handshake with session %1 failed</source>
        <translation>SSH-Handshake mit Sitzung %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>session %1 sent no host key</source>
        <translation>Sitzung %1 hat keinen Host-Schlüssel gesendet</translation>
    </message>
    <message>
        <source>The host key of session %1 has CHANGED: it presented %2, but %3 pins %4. Someone may be intercepting the connection; not connecting.</source>
        <translation>Der Host-Schlüssel von Sitzung %1 hat sich GEÄNDERT: Sie hat %2 vorgelegt, aber in %3 ist %4 hinterlegt. Möglicherweise fängt jemand die Verbindung ab; es wird keine Verbindung hergestellt.</translation>
    </message>
    <message>
        <source>another key</source>
        <translation>ein anderer Schlüssel</translation>
    </message>
    <message>
        <source>The host key of session %1 (%2) is not in %3; refresh the sessions list so the platform&apos;s key is pinned, then connect again.</source>
        <translation>Der Host-Schlüssel von Sitzung %1 (%2) steht nicht in %3; die Sitzungsliste aktualisieren, damit der Schlüssel der Plattform hinterlegt wird, und dann erneut verbinden.</translation>
    </message>
    <message>
        <source>cannot check the host key of session %1 against %2: %3</source>
        <translation>der Host-Schlüssel von Sitzung %1 lässt sich nicht mit %2 abgleichen: %3</translation>
    </message>
    <message>
        <source>the keys in ssh-agent</source>
        <translation>die Schlüssel im ssh-agent</translation>
    </message>
    <message>
        <source>Session %1 refused the SSH key tried: %2. Register its public key in Settings → SSH keys (or: grid ssh-keys add NAME KEY.pub).</source>
        <translation>Sitzung %1 hat die SSH-Anmeldung abgelehnt; versucht: %2. Den öffentlichen Schlüssel unter Einstellungen → SSH-Schlüssel registrieren (oder: grid ssh-keys add NAME KEY.pub).</translation>
    </message>
    <message>
        <source>No SSH key could be offered to session %1.</source>
        <translation>Für Sitzung %1 ließ sich kein SSH-Schlüssel anbieten.</translation>
    </message>
    <message>
        <source>No SSH key to offer session %1: none of the key files exists. Generate or add one in Settings → SSH keys.</source>
        <translation>Kein SSH-Schlüssel für Sitzung %1: Keine der Schlüsseldateien existiert. Unter Einstellungen → SSH-Schlüssel einen generieren oder hinzufügen.</translation>
    </message>
    <message>
        <source>Not used: %1.</source>
        <translation>Nicht verwendet: %1.</translation>
    </message>
    <message>
        <source>SSH authentication with session %1 failed</source>
        <translation>SSH-Authentifizierung bei Sitzung %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 (unreadable, or encrypted and no passphrase given)</source>
        <translation>%1 (nicht lesbar, oder verschlüsselt und keine Passphrase angegeben)</translation>
    </message>
    <message>
        <source>cannot start a shell in session %1</source>
        <translation>in Sitzung %1 lässt sich keine Shell starten</translation>
    </message>
    <message>
        <source>the connection to session %1 was lost</source>
        <translation>die Verbindung zu Sitzung %1 ist abgebrochen</translation>
    </message>
    <message>
        <source>cannot send to session %1</source>
        <translation>an Sitzung %1 lässt sich nichts senden</translation>
    </message>
</context>
<context>
    <name>og::SshKeysPage</name>
    <message>
        <source>&amp;Add from file…</source>
        <translation>Aus &amp;Datei hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Generate a new key</source>
        <translation>Neuen Schlüssel &amp;generieren</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Makes an Ed25519 key pair at %1 and registers it</source>
        <translation>Erzeugt ein Ed25519-Schlüsselpaar unter %1 und registriert es</translation>
    </message>
    <message>
        <source>Sessions accept SSH connections signed by these keys: terminals in this app, &lt;code&gt;grid session ssh&lt;/code&gt; and VS Code.</source>
        <translation>Sitzungen nehmen SSH-Verbindungen an, die mit diesen Schlüsseln signiert sind: Terminals in dieser App, &lt;code&gt;grid&amp;nbsp;session&amp;nbsp;ssh&lt;/code&gt; und VS Code.</translation>
    </message>
    <message>
        <source>SSH public key (or its private key)</source>
        <translation>Öffentlicher SSH-Schlüssel (oder sein privater Schlüssel)</translation>
    </message>
    <message>
        <source>Public keys (*.pub);;All files (*)</source>
        <translation>Öffentliche Schlüssel (*.pub);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Key name</source>
        <translation>Schlüsselname</translation>
    </message>
    <message>
        <source>Name of the key on the platform:</source>
        <translation>Name des Schlüssels auf der Plattform:</translation>
    </message>
    <message>
        <source>SSH keys</source>
        <translation>SSH-Schlüssel</translation>
    </message>
    <message>
        <source>Cannot list the SSH keys: %1</source>
        <translation>Die SSH-Schlüssel lassen sich nicht abrufen: %1</translation>
    </message>
    <message>
        <source>%1 (%2 bits)</source>
        <translation>%1 (%2 Bit)</translation>
    </message>
    <message>
        <source>You have no SSH keys yet: generate one, or add the public key you use with ssh (for example ~/.ssh/id_ed25519.pub).</source>
        <translation>Sie haben noch keine SSH-Schlüssel: einen generieren oder den öffentlichen Schlüssel hinzufügen, den Sie mit ssh verwenden (zum Beispiel ~/.ssh/id_ed25519.pub).</translation>
    </message>
    <message>
        <source>It could not be remembered for terminals: %1</source>
        <translation>Für Terminals konnte er nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Added key %1 (%2).</source>
        <translation>Schlüssel %1 hinzugefügt (%2).</translation>
    </message>
    <message>
        <source>Cannot generate a key: %1</source>
        <translation>Es lässt sich kein Schlüssel generieren: %1</translation>
    </message>
    <message>
        <source>Generated %1 and registered it as %2 (%3).</source>
        <translation>%1 generiert und als %2 registriert (%3).</translation>
    </message>
    <message>
        <source>Remove the SSH key %1? Sessions stop accepting it at the next connection.</source>
        <translation>SSH-Schlüssel %1 entfernen? Sitzungen nehmen ihn ab der nächsten Verbindung nicht mehr an.</translation>
    </message>
    <message>
        <source>Removed key %1.</source>
        <translation>Schlüssel %1 entfernt.</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2</source>
        <translation>%1 lässt sich nicht entfernen: %2</translation>
    </message>
</context>
<context>
    <name>og::SshTunnelClient</name>
    <message>
        <source>cannot create a socket pair for the SSH connection: %1</source>
        <translation>für die SSH-Verbindung lässt sich kein Socket-Paar anlegen: %1</translation>
    </message>
    <message>
        <source>the SSH tunnel to session %1 closed: %2</source>
        <translation>der SSH-Tunnel zu Sitzung %1 wurde geschlossen: %2</translation>
    </message>
    <message>
        <source>cannot open the SSH tunnel to session %1: %2</source>
        <translation>der SSH-Tunnel zu Sitzung %1 lässt sich nicht öffnen: %2</translation>
    </message>
</context>
<context>
    <name>og::TerminalTab</name>
    <message>
        <source>Resuming session %1…</source>
        <translation>Sitzung %1 wird fortgesetzt…</translation>
    </message>
    <message>
        <source>Session %1 did not start running; try again.</source>
        <translation>Sitzung %1 ist nicht angelaufen; bitte erneut versuchen.</translation>
    </message>
    <message>
        <source>Not connected to a platform.</source>
        <translation>Nicht mit einer Plattform verbunden.</translation>
    </message>
    <message>
        <source>%1 — looking up the session…</source>
        <translation>%1 — Sitzung wird abgefragt…</translation>
    </message>
    <message>
        <source>Session %1 does not exist.</source>
        <translation>Sitzung %1 existiert nicht.</translation>
    </message>
    <message>
        <source>Cannot look up session %1: %2</source>
        <translation>Sitzung %1 lässt sich nicht abfragen: %2</translation>
    </message>
    <message>
        <source>Session %1 is %2, not running.</source>
        <translation>Sitzung %1 ist im Zustand %2 und läuft nicht.</translation>
    </message>
    <message>
        <source>Cannot record the host key of session %1: %2</source>
        <translation>Der Host-Schlüssel von Sitzung %1 lässt sich nicht speichern: %2</translation>
    </message>
    <message>
        <source>Waiting for session %1 to accept connections…</source>
        <translation>Warten, bis Sitzung %1 Verbindungen annimmt…</translation>
    </message>
    <message>
        <source>Connection to %1 lost — %2</source>
        <translation>Verbindung zu %1 verloren — %2</translation>
    </message>
    <message>
        <source>The shell in %1 exited with status %2.</source>
        <translation>Die Shell in %1 wurde mit Status %2 beendet.</translation>
    </message>
    <message>
        <source>Connection to %1 closed.</source>
        <translation>Verbindung zu %1 geschlossen.</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Open Settings</source>
        <translation>Einstellungen öffnen</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>nicht verbunden</translation>
    </message>
    <message>
        <source>opening the tunnel…</source>
        <translation>Tunnel wird geöffnet…</translation>
    </message>
    <message>
        <source>checking the host key…</source>
        <translation>Host-Schlüssel wird geprüft…</translation>
    </message>
    <message>
        <source>authenticating…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>starting the shell…</source>
        <translation>Shell wird gestartet…</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>getrennt</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source> · latency %1 ms</source>
        <translation> · Latenz %1 ms</translation>
    </message>
    <message>
        <source>SSH key passphrase</source>
        <translation>Passphrase des SSH-Schlüssels</translation>
    </message>
    <message>
        <source>The key %1 is encrypted. Passphrase to unlock it for session %2:</source>
        <translation>Der Schlüssel %1 ist verschlüsselt. Passphrase, um ihn für Sitzung %2 zu entsperren:</translation>
    </message>
    <message>
        <source> · latency under 1 ms</source>
        <translation> · Latenz unter 1 ms</translation>
    </message>
</context>
<context>
    <name>og::TerminalTabs</name>
    <message>
        <source>Terminal in session %1</source>
        <translation>Terminal in Sitzung %1</translation>
    </message>
</context>
<context>
    <name>og::VersionBrowser</name>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Select a datastore version to browse its files.</source>
        <translation>Eine Datastore-Version auswählen, um ihre Dateien zu durchsuchen.</translation>
    </message>
    <message>
        <source>%1 version %2 is %3; its files can be browsed once it has succeeded.</source>
        <translation>%1 Version %2 ist im Zustand %3; ihre Dateien lassen sich durchsuchen, sobald sie erfolgreich abgeschlossen ist.</translation>
    </message>
    <message>
        <source>Files of %1 version %2</source>
        <translation>Dateien von %1 Version %2</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>wird geladen…</translation>
    </message>
    <message>
        <source>Folder %1</source>
        <translation>Ordner %1</translation>
    </message>
    <message>
        <source>%1 is a link to %2</source>
        <translation>%1 ist ein Verweis auf %2</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 wird geladen…</translation>
    </message>
</context>
<context>
    <name>og::displayformat</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 T %2 h</translation>
    </message>
</context>
<context>
    <name>og::plot::AxisTicks</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 T</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
</context>
</TS>
