// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <array>
#include <cstdint>

namespace og {

// Follows the byte stream going into libvterm 0.1.4 just far enough to know two things that
// library keeps private: whether its parser is in the ground state (the next printable byte
// is text, not part of an escape sequence or an OSC/DCS string), and whether text would land
// plainly — no insert mode (IRM), no left/right margin mode (DECLRMM), no origin mode (DECOM:
// it bounds cursor moves by the scroll region), and the character set in GL one that maps
// ASCII to itself. TerminalScreen writes runs of printable ASCII into its
// cells itself only when both hold (the fast path; libvterm's per-glyph path costs half of a
// `cat` flood).
//
// The state machine mirrors 0.1.4's parser.c (UTF-8 mode: no 8-bit C1 controls) byte for
// byte. Where the tracker cannot tell what libvterm did, it errs towards "not plain": the
// fast path is then skipped, which is slower but never wrong. Modes are set when any
// parameter names them (0.1.4 may read only the first) and cleared only when the first
// does; DECSTR is not taken as a reset (0.1.4's dispatch of it is doubtful).
class TerminalModeTracker final
{
public:
    // Every byte libvterm is given, in order.
    void consume(unsigned char c);
    // A read from the remote begins: libvterm starts a new call of its text handler there.
    void startRead()
    {
        m_decoder = Decoder::None;
        m_utf8Remaining = 0;
    }

    // libvterm's parser would treat the next byte 0x20..0x7e as text.
    bool isGround() const { return m_state == State::Ground; }
    // Printable ASCII written now lands as the plain byte, overwriting in place (a pending
    // single shift, SS2/SS3, would send the next character through G2/G3).
    bool isPlain() const
    {
        return !m_insert && !m_leftRightMargins && !m_origin && !m_singleShift && m_plainSet[m_gl];
    }
    // libvterm's decoder for the text in progress is the one of the character set in GL
    // (or no text is in progress). libvterm 0.1.4 picks a decoder per call of its text
    // handler by the first byte: ASCII goes to GL's set (in UTF-8 mode a UTF-8 decoder of its
    // own), anything else to a separate UTF-8 decoder, which then also takes the ASCII that
    // follows it up to the next control. A run written by the fast path is cut into calls
    // that start with ASCII, so it must be where libvterm would use GL's decoder anyway: then
    // every byte meets the same decoder state as it would have, malformed UTF-8 included.
    bool isGlDecoding() const { return m_decoder != Decoder::Other; }
    // The text so far ends inside a UTF-8 sequence. The next byte must then go to libvterm in
    // the same call: at the end of a call 0.1.4 hands the cut sequence to its other decoder.
    bool isInsideUtf8Sequence() const { return m_utf8Remaining > 0; }

    static bool isPrintableAscii(unsigned char c) { return c >= 0x20 && c < 0x7f; }

    // The byte c, next, would make libvterm run REP (CSI Pn b: repeat the last glyph).
    bool wouldRepeat(unsigned char c) const
    {
        return c == 'b' && m_leaderCount == 0 && m_intermediateCount == 0
               && (m_state == State::CsiLeader || m_state == State::CsiArgs
                   || m_state == State::CsiIntermediate);
    }
    // DECALN (ESC # 8) filled the screen since the last text: 0.1.4's "last glyph" for REP is
    // then not the last glyph the screen saw.
    bool isAlignedSinceText() const { return m_alignedSinceText; }

private:
    enum class State : std::uint8_t { Ground, Escape, CsiLeader, CsiArgs, CsiIntermediate, String, EscapeInString };
    enum class Decoder : std::uint8_t { None, Gl, Other }; // of the text in progress

    void text(unsigned char c);

    void reset(); // RIS: what vterm_state_reset(state, 1) does to the modes followed here
    void control(unsigned char c);
    void escape(unsigned char final);
    void csi(unsigned char final);
    void enterEscape();

    static constexpr int kMaxArgs = 16;
    static constexpr long kArgMissing = -1;

    State m_state = State::Ground;
    // The sequence being read.
    unsigned char m_intermediate = 0; // the first intermediate byte (0x20..0x2f), 0: none
    int m_intermediateCount = 0;
    unsigned char m_leader = 0; // CSI leader (0x3c..0x3f), 0: none
    int m_leaderCount = 0;
    std::array<long, kMaxArgs> m_args{};
    int m_argCount = 0;

    // The modes.
    bool m_insert = false;
    bool m_leftRightMargins = false;
    bool m_origin = false;
    bool m_singleShift = false;
    bool m_alignedSinceText = false;
    Decoder m_decoder = Decoder::None;
    int m_utf8Remaining = 0; // continuation bytes the text in progress still lacks
    int m_gl = 0; // which of G0..G3 is invoked into GL
    // G0..G3 map ASCII to itself: in UTF-8 mode libvterm starts them all as UTF-8, and "B"
    // (US-ASCII) keeps that; DEC graphics ("0"), UK ("A") and anything else do not.
    std::array<bool, 4> m_plainSet{true, true, true, true};
    // G0..G3 still have the UTF-8 decoder (not a 94-character set, which stops at the first
    // byte from 0x80 and leaves the rest of the text to the other decoder).
    std::array<bool, 4> m_utf8Set{true, true, true, true};
};

} // namespace og
