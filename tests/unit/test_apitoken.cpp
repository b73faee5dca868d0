// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/apitoken.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTest>

using og::ApiToken;

namespace {

const QString kId = QStringLiteral("abc123def456");
const QString kSecret =
    QStringLiteral("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

QString validToken()
{
    return QStringLiteral("grid_") + kId + u'_' + kSecret;
}

bool isLowerAlnum(const QString &s)
{
    for (QChar c : s)
        if (!((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')))
            return false;
    return true;
}

bool isLowerHex(const QByteArray &s)
{
    for (char c : s)
        if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9')))
            return false;
    return true;
}

} // namespace

class TestApiToken final : public QObject
{
    Q_OBJECT

private slots:
    void parsesValidToken();
    void parseTrimsSurroundingWhitespace();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void toStringRoundTrip();
    void generateHasTheDocumentedShape();
    void generateIsRandom();
    void secretSha256HexIsTheDigestOfTheSecret();
    void randomIdLengthAndAlphabet();
};

void TestApiToken::parsesValidToken()
{
    const auto token = ApiToken::parse(validToken());
    QVERIFY(token);
    QCOMPARE(token->id, kId);
    QCOMPARE(token->secret, kSecret.toLatin1());
}

void TestApiToken::parseTrimsSurroundingWhitespace()
{
    // Tokens are pasted from terminals and files; a trailing newline must not break them.
    const auto token = ApiToken::parse(QStringLiteral("  ") + validToken() + QStringLiteral("\n"));
    QVERIFY(token);
    QCOMPARE(token->id, kId);
    QCOMPARE(token->secret, kSecret.toLatin1());
}

void TestApiToken::rejectsMalformed_data()
{
    QTest::addColumn<QString>("token");
    const QString secret = kSecret;
    QTest::newRow("empty") << QString();
    QTest::newRow("prefix only") << QStringLiteral("grid_");
    QTest::newRow("wrong prefix") << QStringLiteral("grud_") + kId + u'_' + secret;
    QTest::newRow("upper-case prefix") << QStringLiteral("GRID_") + kId + u'_' + secret;
    QTest::newRow("no prefix") << kId + u'_' + secret;
    QTest::newRow("id too short") << QStringLiteral("grid_abc123def45_") + secret + u'0';
    QTest::newRow("id too long") << QStringLiteral("grid_abc123def4567_") + secret.left(63);
    QTest::newRow("secret too short") << QStringLiteral("grid_") + kId + u'_' + secret.left(63);
    QTest::newRow("secret too long") << QStringLiteral("grid_") + kId + u'_' + secret + u'0';
    QTest::newRow("upper-case id") << QStringLiteral("grid_ABC123DEF456_") + secret;
    QTest::newRow("id with dash") << QStringLiteral("grid_abc123-ef456_") + secret;
    QTest::newRow("upper-case hex") << QStringLiteral("grid_") + kId + u'_' + secret.toUpper();
    QTest::newRow("non-hex secret")
        << QStringLiteral("grid_") + kId + u'_' + secret.left(63) + u'g';
    QTest::newRow("missing separator") << QStringLiteral("grid_") + kId + secret + u'0';
    QTest::newRow("underscore in secret")
        << QStringLiteral("grid_") + kId + u'_' + secret.left(32) + u'_' + secret.mid(33);
    QTest::newRow("inner space") << QStringLiteral("grid_") + kId + QStringLiteral(" _") +
                                        secret.left(63);
}

void TestApiToken::rejectsMalformed()
{
    QFETCH(QString, token);
    QVERIFY(!ApiToken::parse(token));
}

void TestApiToken::toStringRoundTrip()
{
    const ApiToken token{kId, kSecret.toLatin1()};
    QCOMPARE(token.toString(), validToken());
    const auto back = ApiToken::parse(token.toString());
    QVERIFY(back);
    QCOMPARE(back->id, token.id);
    QCOMPARE(back->secret, token.secret);
}

void TestApiToken::generateHasTheDocumentedShape()
{
    const ApiToken token = ApiToken::generate();
    QCOMPARE(token.id.size(), og::kApiKeyIdLength);
    QVERIFY2(isLowerAlnum(token.id), qPrintable(token.id));
    QCOMPARE(token.secret.size(), og::kApiKeySecretLength);
    QVERIFY2(isLowerHex(token.secret), token.secret.constData());

    const QString text = token.toString();
    QVERIFY(text.startsWith(u"grid_"));
    QCOMPARE(text.size(), 5 + og::kApiKeyIdLength + 1 + og::kApiKeySecretLength);
    const auto parsed = ApiToken::parse(text);
    QVERIFY2(parsed, qPrintable(text));
    QCOMPARE(parsed->id, token.id);
    QCOMPARE(parsed->secret, token.secret);
}

void TestApiToken::generateIsRandom()
{
    QSet<QString> ids;
    QSet<QByteArray> secrets;
    const int n = 50;
    for (int i = 0; i < n; ++i) {
        const ApiToken token = ApiToken::generate();
        ids.insert(token.id);
        secrets.insert(token.secret);
    }
    QCOMPARE(ids.size(), n);
    QCOMPARE(secrets.size(), n);
    // The whole secret is random, not just a prefix: the last 32 hex digits differ too.
    QSet<QByteArray> tails;
    for (const QByteArray &s : secrets)
        tails.insert(s.right(32));
    QCOMPARE(tails.size(), n);
}

void TestApiToken::secretSha256HexIsTheDigestOfTheSecret()
{
    const ApiToken token{kId, kSecret.toLatin1()};
    const QByteArray digest = token.secretSha256Hex();
    QCOMPARE(digest.size(), 64);
    QVERIFY(isLowerHex(digest));
    QCOMPARE(digest,
             QCryptographicHash::hash(kSecret.toLatin1(), QCryptographicHash::Sha256).toHex());
    // Known answer: SHA-256 of "abc".
    const ApiToken abc{kId, QByteArrayLiteral("abc")};
    QCOMPARE(abc.secretSha256Hex(),
             QByteArrayLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    // Only the secret counts, not the id.
    const ApiToken otherId{QStringLiteral("zzzzzzzzzzzz"), kSecret.toLatin1()};
    QCOMPARE(otherId.secretSha256Hex(), digest);
    QVERIFY(digest != kSecret.toLatin1());
}

void TestApiToken::randomIdLengthAndAlphabet()
{
    QCOMPARE(og::randomId(0), QString());
    for (int length : {1, 8, 12, 40}) {
        const QString id = og::randomId(length);
        QCOMPARE(id.size(), length);
        QVERIFY2(isLowerAlnum(id), qPrintable(id));
    }
    // 200 characters drawn from 36: both letters and digits show up.
    const QString many = og::randomId(200);
    bool letter = false;
    bool digit = false;
    for (QChar c : many) {
        letter = letter || c.isLetter();
        digit = digit || c.isDigit();
    }
    QVERIFY(letter);
    QVERIFY(digit);
    QVERIFY(og::randomId(16) != og::randomId(16));
}

QTEST_APPLESS_MAIN(TestApiToken)
#include "test_apitoken.moc"
