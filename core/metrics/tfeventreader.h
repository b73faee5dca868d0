// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/metrics/metricpoint.h"

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace og {

// Tails one TensorBoard event file (events.out.tfevents.*) and yields its scalars.
//
// The file is a sequence of TFRecords — u64 length, masked CRC-32C of those 8 bytes, the data,
// masked CRC-32C of the data — each holding one tensorboard.Event protobuf. Scalars are what
// TensorBoard's scalar dashboard shows: a Summary.Value with `simple_value` (TF1, tensorboardX,
// PyTorch's add_scalar, CatBoost), or with a one-element numeric `tensor` whose tag was declared
// a scalar (plugin "scalars" or data class SCALAR) by the metadata that writers send only with
// a tag's first value (TF2/Keras tf.summary.scalar). Everything else (histograms, images,
// graphs, text) is skipped.
//
// readAvailable() reads every record complete since the last call. A record still being
// written (a short read) is left for the next call, which starts again at offset(). A complete
// record whose length or data CRC is wrong is corruption: it is reported once through
// takeProblems() and nothing more is read from the file; the points before it stay delivered.
// Files larger than memory are fine: reading goes in bounded chunks.
class TfEventReader final
{
    Q_DISABLE_COPY_MOVE(TfEventReader)

public:
    explicit TfEventReader(QString path);

    QList<MetricPoint> readAvailable();
    // Sentences for the user, each problem once ("events.out.tfevents.1.host: bad data CRC in
    // record at byte 4096; skipping the rest of the file"); clears the list.
    QStringList takeProblems();
    // Bytes consumed: where the next record starts.
    qint64 offset() const { return m_offset; }
    // True once corruption was found: later calls read nothing.
    bool stopped() const { return m_stopped; }
    const QString &path() const { return m_path; }

    // Where the reader stands (offset, which tags are scalars), to carry on after a restart
    // exactly where the points stored so far end; restoreState() on a new reader.
    QJsonObject saveState() const;
    void restoreState(const QJsonObject &state);

private:
    void decodeEvent(QByteArrayView data, qint64 recordAt, QList<MetricPoint> &out);
    void decodeSummary(QByteArrayView summary, qint64 step, double wallTime,
                       QList<MetricPoint> &out);
    void report(const QString &what);

    const QString m_path;
    const QString m_fileName;
    qint64 m_offset = 0;
    bool m_stopped = false;
    bool m_reportedMalformed = false;
    QString m_lastOpenError;
    // Per tag: whether its metadata declared it a scalar (only the first value carries it).
    QHash<QString, bool> m_scalarTags;
    QStringList m_problems;
};

} // namespace og
