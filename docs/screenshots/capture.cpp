// SPDX-License-Identifier: GPL-3.0-or-later
// Takes the README's screenshots: the real app on a fresh local platform (whatever HOME,
// XDG_CONFIG_HOME and OPENGRID_DATA_DIR the caller set — capture.sh uses a temp dir), with a
// datastore made from examples/make_cifar5.py and a small sweep whose script writes noisy
// metrics, sessions with a terminal running vim, each panel grabbed to a PNG. `--sessions` takes
// only the sessions scenes. Not a test: it asserts nothing; its output is looked at.
#include "app/mainwindow.h"
#include "app/palette.h"
#include "app/platformsession.h"
#include "core/apiclient.h"
#include "core/datastore/uploader.h"
#include "core/terminal/terminalscreen.h"
#include "models/experimentmodel.h"
#include "models/runmodel.h"
#include "models/sessionmodel.h"
#include "widgets/artifactsview.h"
#include "widgets/chartspanel.h"
#include "widgets/datastorespanel.h"
#include "widgets/computechoices.h"
#include "widgets/filteredview.h"
#include "widgets/newsessiondialog.h"
#include "widgets/newrundialog.h"
#include "widgets/parallelcoordinates.h"
#include "widgets/runspanel.h"
#include "widgets/sessionspanel.h"
#include "widgets/settingsdialog.h"
#include "widgets/sshkeyspage.h"
#include "widgets/terminal/terminaltab.h"
#include "widgets/terminal/terminaltabs.h"
#include "widgets/versionbrowser.h"

#include <QApplication>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>

#include <cstdio>

namespace {
const char *const kScript =
    "import json, math, os, random, sys, time\n"
    "a = sys.argv[1:]\n"
    "lr = float(a[a.index('--learning_rate') + 1])\n"
    "bb = a[a.index('--backbone') + 1]\n"
    "depth = {'resnet18': 1.0, 'resnet34': 1.3, 'resnet50': 1.6}.get(bb, 1.0)\n"
    "rng = random.Random(hash((lr, bb)) % 1000)\n"
    "print('training', bb, 'with learning rate', lr, flush=True)\n"
    "with open(os.environ['GRID_METRICS_FILE'], 'a') as f:\n"
    "    for step in range(300):\n"
    "        k = min(lr * 40, 2.0) * depth\n"
    "        loss = 2.3 * math.exp(-k * step / 100) + 0.1 + rng.gauss(0, 0.03)\n"
    "        if step == 120 and bb == 'resnet50': loss += 1.5\n"
    "        acc = 1 - loss / 2.6\n"
    "        f.write(json.dumps({'step': step, 'train_loss': loss, 'val_acc': acc}) + '\\n')\n"
    "        f.flush()\n"
    "        if step % 50 == 0: print('step', step, 'loss %.3f' % loss, flush=True)\n"
    "        time.sleep(0.02)\n"
    "os.makedirs('outputs', exist_ok=True)\n"
    "with open('outputs/summary.yaml', 'w') as f:\n"
    "    f.write('# final metrics\\nbackbone: %s\\nlearning_rate: %g\\nfinal:\\n  train_loss: %.4f\\n  val_acc: %.4f\\nconverged: %s\\n' % (bb, lr, loss, acc, 'true' if loss < 0.5 else 'false'))\n"
    "print('done', flush=True)\n";

// What the terminal scene types into the session's shell: a training script to open in vim.
const char *const kTerminalTyping =
    "cat > train.py <<'EOF'\r"
    "import os\r"
    "import torch\r"
    "from torchvision import datasets, transforms\r"
    "\r"
    "# The datastore is mounted read-only here (and at ~/datastore).\r"
    "DATA = os.environ.get('GRID_DATASTORE_MOUNT_DIR', '/datastores/cifar5')\r"
    "\r"
    "def main(lr=0.01, epochs=3):\r"
    "    train = datasets.ImageFolder(os.path.join(DATA, 'train'), transforms.ToTensor())\r"
    "    loader = torch.utils.data.DataLoader(train, batch_size=32, shuffle=True)\r"
    "    for epoch in range(epochs):\r"
    "        for images, labels in loader:\r"
    "            pass  # step the model here\r"
    "        print(f'epoch {epoch}: {len(train)} images')\r"
    "\r"
    "if __name__ == '__main__':\r"
    "    main()\r"
    "EOF\r"
    "clear; vim -c 'syntax on' -c 'set number' -c 'set background=%1' train.py\r";

void pump(int ms)
{
    QDeadlineTimer t(ms);
    while (!t.hasExpired())
        QApplication::processEvents(QEventLoop::AllEvents, 20);
}

template<typename F>
bool waitFor(F condition, int ms)
{
    QDeadlineTimer t(ms);
    while (!condition()) {
        if (t.hasExpired())
            return false;
        QApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    return true;
}

void save(QWidget *w, const QString &dir, const QString &name)
{
    pump(300);
    const QString path = dir + u'/' + name;
    if (!w->grab().save(path))
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
    else
        std::printf("wrote %s\n", qPrintable(path));
}
} // namespace

// The datastores and runs panels, the New-run dialog and Settings.
void captureDatastoresAndRuns(og::MainWindow &window, const QString &out, const QString &source, const QString &suffix)
{
    og::ApiClient *api = window.session()->api();
    window.showPage(0);
    auto *ds = window.datastoresPanel();
    waitFor([&] { return ds->table()->proxy()->rowCount() > 0; }, 10000);
    ds->table()->view()->expandAll();
    pump(200);
    const QModelIndex version = ds->table()->proxy()->index(0, 0, ds->table()->proxy()->index(0, 0));
    ds->table()->view()->setCurrentIndex(version);
    waitFor([&] { return ds->browser()->model()->rowCount() > 0; }, 10000);
    pump(300);
    // Open train/ and show a file's details.
    QStandardItemModel *files = ds->browser()->model();
    auto *tree = ds->browser()->findChild<QTreeView *>();
    QStandardItem *train = nullptr;
    for (int i = 0; i < files->rowCount(); ++i)
        if (files->item(i)->text() == u"train")
            train = files->item(i);
    if (train && tree) {
        tree->expand(train->index());
        // train/airplane, then its first file in the preview (the version's file endpoint).
        waitFor([&] { return train->rowCount() > 0 && train->child(0)->text() != u"loading…"; }, 5000);
        QStandardItem *firstClass = train->child(0);
        tree->expand(firstClass->index());
        waitFor([&] { return firstClass->rowCount() > 0 && firstClass->child(0)->text() != u"loading…"; }, 5000);
        if (firstClass->rowCount() > 0)
            tree->setCurrentIndex(firstClass->child(0)->index());
    }
    pump(800);
    save(&window, out, QStringLiteral("datastores%1.png").arg(suffix));

    // The sweep: 3 backbones × 2 learning rates.
    if (window.session()->api()->call("GET", QStringLiteral("/runs/showcase")).httpStatus == 404) {
        QFile script(source + QStringLiteral("/sweep/train.py"));
        QDir().mkpath(source + QStringLiteral("/sweep"));
        script.open(QIODevice::WriteOnly);
        script.write(kScript);
        script.close();
        og::NewRunDialog dialog(api, window.session()->connectionInfo(), &window);
        dialog.setScript(script.fileName());
        dialog.setArguments(QStringLiteral("--backbone \"['resnet18', 'resnet34', 'resnet50']\" --learning_rate \"[0.01, 0.05]\""));
        dialog.resize(760, 560);
        dialog.show();
        pump(500);
        save(&dialog, out, QStringLiteral("new-run%1.png").arg(suffix));
        dialog.setArguments(QStringLiteral("--backbone \"['resnet18', 'resnet34'\" --learning_rate \"[0.01, 0.05]\""));
        save(&dialog, out, QStringLiteral("new-run-error%1.png").arg(suffix));
        dialog.setArguments(QStringLiteral("--backbone \"['resnet18', 'resnet34', 'resnet50']\" --learning_rate \"[0.01, 0.05]\""));
        dialog.showYaml();
        auto *tabs = dialog.findChild<QTabWidget *>();
        if (tabs) {
            const QSignalBlocker block(tabs);
            tabs->setCurrentIndex(1);
        }
        save(&dialog, out, QStringLiteral("new-run-yaml%1.png").arg(suffix));
        if (tabs) {
            const QSignalBlocker block(tabs);
            tabs->setCurrentIndex(0);
        }
        QString submitted;
        QObject::connect(&dialog, &og::NewRunDialog::submitted, [&submitted](const QString &n) { submitted = n; });
        dialog.setRunName(QStringLiteral("showcase"));
        dialog.submit();
        waitFor([&] { return !submitted.isEmpty(); }, 60000);
    }
    window.showPage(2);
    auto *runs = window.runsPanel();
    waitFor([&] { return runs->runsTable()->proxy()->rowCount() > 0; }, 10000);
    runs->selectRun(QStringLiteral("showcase"));
    // Half-way through, to show live curves; then again when done.
    pump(4000);
    save(&window, out, QStringLiteral("runs-live%1.png").arg(suffix));
    waitFor([&] {
        const int row = runs->runsTable()->proxy()->index(0, 0).row();
        return runs->runsTable()->proxy()->index(row, og::RunModel::StatusColumn).data().toString() == u"succeeded";
    }, 120000);
    pump(1500);
    save(&window, out, QStringLiteral("runs%1.png").arg(suffix));
    runs->parallel()->setMetric(QStringLiteral("val_acc"));
    runs->tabs()->setCurrentIndex(1);
    save(&window, out, QStringLiteral("parallel-coordinates%1.png").arg(suffix));
    auto *expView = runs->experimentsTable()->view();
    expView->setCurrentIndex(runs->experimentsTable()->proxy()->index(4, 0));
    runs->tabs()->setCurrentIndex(2);
    pump(1500);
    save(&window, out, QStringLiteral("log%1.png").arg(suffix));
    runs->tabs()->setCurrentIndex(3);
    waitFor([&] { return runs->artifacts()->list()->count() > 0; }, 10000);
    runs->artifacts()->list()->setCurrentRow(0);
    pump(1500);
    save(&window, out, QStringLiteral("artifacts%1.png").arg(suffix));

    og::SettingsDialog settings(nullptr, &window);
    settings.setServer(QStringLiteral("https://grid.example.org:7411"), QString());
    settings.setConnectionError(QStringLiteral("TLS error: the certificate of grid.example.org is self-signed; add its CA file below."));
    settings.show();
    save(&settings, out, QStringLiteral("settings%1.png").arg(suffix));
    settings.close();
}

// Settings → SSH keys, the New-session dialog, the Sessions panel and a terminal running vim.
void captureSessions(og::MainWindow &window, const QString &out, const QString &suffix)
{
    og::ApiClient *api = window.session()->api();
    // Settings → SSH keys: the key the sessions' terminals use, generated here the first time.
    og::SettingsDialog keys(api, &window);
    keys.showPage(og::SettingsDialog::Page::SshKeys);
    og::SshKeysPage *page = keys.sshKeysPage();
    waitFor([&] { return page->list()->topLevelItemCount() > 0 || !page->messageText().isEmpty(); }, 10000);
    if (page->list()->topLevelItemCount() == 0) {
        page->generateKey(QStringLiteral("laptop"));
        waitFor([&] { return page->list()->topLevelItemCount() > 0; }, 10000);
    }
    keys.show();
    save(&keys, out, QStringLiteral("ssh-keys%1.png").arg(suffix));
    keys.close();

    window.showPage(1);
    og::SessionsPanel *sessions = window.sessionsPanel();
    if (suffix.isEmpty()) // what a first start shows
        save(&window, out, QStringLiteral("sessions-empty.png"));
    if (suffix.isEmpty()) {
        // What the platform refuses shows in the dialog, which keeps what was typed.
        og::NewSessionDialog refused(api, &window);
        refused.setName(QStringLiteral("big-gpus"));
        refused.choices()->setInstanceType(QStringLiteral("p3dn.24xlarge"));
        refused.show();
        refused.create();
        waitFor([&] { return refused.errorText().contains(QStringLiteral("GPU")); }, 10000);
        pump(500); // the instance types arrive too: the answer stays
        save(&refused, out, QStringLiteral("new-session-error.png"));
    }
    og::NewSessionDialog create(api, &window);
    create.setName(QStringLiteral("resnet-debugging"));
    waitFor([&] { return create.choices()->datastoreBox()->count() > 1; }, 10000);
    create.choices()->setDatastore(QStringLiteral("cifar5"));
    create.show();
    save(&create, out, QStringLiteral("new-session%1.png").arg(suffix));
    create.create();
    const auto statusOf = [&](const QString &name) {
        return api->call("GET", QStringLiteral("/sessions/") + name).object().value(QStringLiteral("session")).toObject()
            .value(QStringLiteral("status")).toString();
    };
    // A second one, paused, to show the actions a paused session has.
    api->call("POST", QStringLiteral("/sessions"), QJsonObject{{QStringLiteral("name"), QStringLiteral("data-prep")}});
    waitFor([&] { return statusOf(QStringLiteral("data-prep")) == u"running"; }, 60000);
    api->call("POST", QStringLiteral("/sessions/data-prep/pause"), QJsonObject());
    create.close();
    waitFor([&] { return statusOf(QStringLiteral("resnet-debugging")) == u"running" && statusOf(QStringLiteral("data-prep")) == u"paused"; },
            60000);

    // The terminal: one double-click away from a shell in the session — once the panel (fed by
    // the event stream, which may trail the API's answer above) shows it running.
    const QAbstractItemModel *rows = sessions->table()->proxy();
    waitFor([&] {
        for (int r = 0; r < rows->rowCount(); ++r)
            if (rows->index(r, 0).data().toString() == u"resnet-debugging" && rows->index(r, 1).data().toString() == u"running")
                return true;
        return false;
    }, 30000);
    sessions->selectSession(QStringLiteral("resnet-debugging"));
    og::TerminalTabs *terminals = window.terminals();
    bool ready = false;
    QObject::connect(terminals, &og::TerminalTabs::shellReady, [&ready] { ready = true; });
    sessions->openTerminal();
    if (!waitFor([&] { return ready; }, 30000))
        std::fprintf(stderr, "the terminal did not reach a shell\n");
    auto *tab = qobject_cast<og::TerminalTab *>(terminals->currentWidget());
    pump(1000);
    if (tab)
        tab->screen()->sendText(QStringLiteral("ls -l ~/datastore/train | head -4; echo \"$GRID_SESSION_NAME on $GRID_INSTANCE_TYPE\"\r"));
    pump(1500);
    sessions->selectSession(QStringLiteral("resnet-debugging"));
    save(&window, out, QStringLiteral("sessions%1.png").arg(suffix));
    if (tab)
        // vim cannot tell the terminal's background; a user's vimrc says it.
        tab->screen()->sendText(QString::fromLatin1(kTerminalTyping).arg(suffix.isEmpty() ? QStringLiteral("light") : QStringLiteral("dark")));
    pump(2500);
    save(&window, out, QStringLiteral("terminal%1.png").arg(suffix));
    if (tab)
        tab->screen()->sendText(QStringLiteral("\x1b:q!\r"));
    pump(500);
    // Sessions outlive gridd (and this throwaway platform's directory): none may be left running.
    for (const QString &name : {QStringLiteral("resnet-debugging"), QStringLiteral("data-prep")}) {
        api->call("DELETE", QStringLiteral("/sessions/") + name);
        waitFor([&] { return api->call("GET", QStringLiteral("/sessions/") + name).httpStatus == 404; }, 30000);
    }
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("OpenGrid"));
    QApplication::setApplicationName(QStringLiteral("opengrid"));
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: capture OUT_DIR SOURCE_DIR [--dark] [--sessions]\n");
        return 2;
    }
    const QString out = args[1];
    const QString source = args[2];
    const bool dark = args.contains(QStringLiteral("--dark"));
    const QString suffix = dark ? QStringLiteral("-dark") : QString();
    if (dark)
        og::applyDarkPalette(app);

    og::MainWindow window;
    window.resize(1500, 940);
    window.show();
    if (!waitFor([&] { return window.session()->state() == og::PlatformSession::State::Live; }, 60000)) {
        std::fprintf(stderr, "the platform did not come up: %s\n", qPrintable(window.session()->lastError()));
        return 1;
    }
    og::ApiClient *api = window.session()->api();
    // A datastore from the example's generator (once; the dark pass reuses the platform).
    if (api->call("GET", QStringLiteral("/datastores/cifar5")).httpStatus == 404) {
        og::ApiClient uploaderApi;
        uploaderApi.setBaseUrl(window.session()->connectionInfo().baseUrl);
        uploaderApi.setToken(window.session()->connectionInfo().token);
        og::DatastoreUploader uploader(uploaderApi);
        const auto r = uploader.run({source + QStringLiteral("/cifar5"), QStringLiteral("cifar5"), false, true, 4});
        if (!r.ok())
            std::fprintf(stderr, "upload: %s\n", qPrintable(r.error));
    }
    if (!args.contains(QStringLiteral("--sessions")))
        captureDatastoresAndRuns(window, out, source, suffix);
    captureSessions(window, out, suffix);
    window.close();
    return 0;
}
