// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in syntax highlighter and the preview pane: which spans get which format, and what
// the pane shows for text, images and binary files.
#include "widgets/codehighlighter.h"
#include "widgets/filepreview.h"

#include <QBuffer>
#include <QImage>
#include <QPlainTextEdit>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>

using og::CodeHighlighter;

class TestGuiHighlighter final : public QObject
{
    Q_OBJECT

    static QString formatAt(const QString &fileName, const QString &text, int line, const QString &needle, int offset = 0)
    {
        QTextDocument doc;
        CodeHighlighter h(&doc);
        h.setLanguage(CodeHighlighter::languageForFileName(fileName));
        doc.setPlainText(text);
        h.rehighlight();
        const QTextBlock block = doc.findBlockByNumber(line);
        const int at = int(block.text().indexOf(needle));
        return at < 0 ? QStringLiteral("<not found>") : h.formatNameAt(block, at + offset);
    }

private Q_SLOTS:
    void languagesFromFileNames()
    {
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("conf/run.YAML")), CodeHighlighter::Language::Yaml);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("a.yml")), CodeHighlighter::Language::Yaml);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("m.json")), CodeHighlighter::Language::Json);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("metrics.csv")), CodeHighlighter::Language::Csv);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("train.py")), CodeHighlighter::Language::Python);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("run.sh")), CodeHighlighter::Language::Shell);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("gridd.log")), CodeHighlighter::Language::Log);
        QCOMPARE(CodeHighlighter::languageForFileName(QStringLiteral("README")), CodeHighlighter::Language::Plain);
    }

    void yaml()
    {
        const QString text = QStringLiteral("compute:\n  train:\n    gpus: 2 # two\n    name: 'x: y'\n");
        QCOMPARE(formatAt(QStringLiteral("c.yaml"), text, 1, QStringLiteral("train")), QStringLiteral("key"));
        QCOMPARE(formatAt(QStringLiteral("c.yaml"), text, 2, QStringLiteral("2")), QStringLiteral("number"));
        QCOMPARE(formatAt(QStringLiteral("c.yaml"), text, 2, QStringLiteral("# two")), QStringLiteral("comment"));
        QCOMPARE(formatAt(QStringLiteral("c.yaml"), text, 3, QStringLiteral("'x: y'"), 2), QStringLiteral("string"));
    }

    void json()
    {
        const QString text = QStringLiteral("{\"loss\": 0.25, \"ok\": true, \"name\": \"a\"}");
        QCOMPARE(formatAt(QStringLiteral("m.json"), text, 0, QStringLiteral("\"loss\"")), QStringLiteral("key"));
        QCOMPARE(formatAt(QStringLiteral("m.json"), text, 0, QStringLiteral("0.25")), QStringLiteral("number"));
        QCOMPARE(formatAt(QStringLiteral("m.json"), text, 0, QStringLiteral("true")), QStringLiteral("keyword"));
        QCOMPARE(formatAt(QStringLiteral("m.json"), text, 0, QStringLiteral("\"a\"")), QStringLiteral("string"));
    }

    void pythonAndItsTripleQuotedStrings()
    {
        const QString text = QStringLiteral("def f(x):\n    \"\"\"Doc\n    more\"\"\"\n    return x # done\n");
        QCOMPARE(formatAt(QStringLiteral("t.py"), text, 0, QStringLiteral("def")), QStringLiteral("keyword"));
        QCOMPARE(formatAt(QStringLiteral("t.py"), text, 2, QStringLiteral("more")), QStringLiteral("string"));
        QCOMPARE(formatAt(QStringLiteral("t.py"), text, 3, QStringLiteral("return")), QStringLiteral("keyword"));
        QCOMPARE(formatAt(QStringLiteral("t.py"), text, 3, QStringLiteral("# done")), QStringLiteral("comment"));
    }

    void csvColumnsAndLogs()
    {
        const QString csv = QStringLiteral("step,loss,\"a,b\",acc\n");
        QCOMPARE(formatAt(QStringLiteral("m.csv"), csv, 0, QStringLiteral("step")), QStringLiteral("column0"));
        QCOMPARE(formatAt(QStringLiteral("m.csv"), csv, 0, QStringLiteral("loss")), QStringLiteral("column1"));
        QCOMPARE(formatAt(QStringLiteral("m.csv"), csv, 0, QStringLiteral("acc")), QStringLiteral("column3")); // the quoted comma is no separator
        const QString log = QStringLiteral("[stderr] [2026-11-26T10:40:00.123Z] ERROR: out of memory\n");
        QCOMPARE(formatAt(QStringLiteral("x.log"), log, 0, QStringLiteral("2026")), QStringLiteral("timestamp"));
        QCOMPARE(formatAt(QStringLiteral("x.log"), log, 0, QStringLiteral("ERROR")), QStringLiteral("error"));
        QCOMPARE(formatAt(QStringLiteral("x.log"), log, 0, QStringLiteral("memory")), QString());
    }

    void previewShowsTextImagesAndBinaries()
    {
        og::FilePreview preview;
        preview.resize(400, 300);
        preview.showFile(QStringLiteral("config.yaml"), "a: 1\n");
        QVERIFY(preview.isShowingText());
        QCOMPARE(preview.text(), QStringLiteral("a: 1\n"));
#ifndef OPENGRID_HAVE_KSYNTAXHIGHLIGHTING // else KSyntaxHighlighting colours it
        QCOMPARE(preview.highlighter()->language(), CodeHighlighter::Language::Yaml);
#endif

        QImage image(32, 16, QImage::Format_RGB32);
        image.fill(Qt::red);
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        QVERIFY(image.save(&buffer, "PNG"));
        preview.showFile(QStringLiteral("cat.png"), png);
        QVERIFY(preview.isShowingImage());

        preview.showFile(QStringLiteral("weights.bin"), QByteArray("\x01\x00\x02\xff", 4));
        QVERIFY(!preview.isShowingText() && !preview.isShowingImage());
        QVERIFY(preview.text().contains(QStringLiteral("binary")));
        QVERIFY(og::FilePreview::looksLikeText("plain ascii\n"));
        QVERIFY(!og::FilePreview::looksLikeText(QByteArray("a\0b", 3)));
    }
};

QTEST_MAIN(TestGuiHighlighter)
#include "test_gui_highlighter.moc"
