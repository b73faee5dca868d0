// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/terminal/terminalmodetracker.h"

#include <algorithm>

namespace og {

void TerminalModeTracker::reset()
{
    m_insert = false;
    m_leftRightMargins = false;
    m_origin = false;
    m_singleShift = false;
    m_gl = 0;
    m_plainSet = {true, true, true, true};
    m_utf8Set = {true, true, true, true};
}

void TerminalModeTracker::text(unsigned char c)
{
    m_alignedSinceText = false;
    if (c < 0x80)
        m_utf8Remaining = 0;
    else if (c < 0xc0)
        m_utf8Remaining = std::max(0, m_utf8Remaining - 1);
    else // a lead byte; 0xf8..0xff (old 5- and 6-byte forms, or invalid) counted long
        m_utf8Remaining = c < 0xe0 ? 1 : c < 0xf0 ? 2 : c < 0xf8 ? 3 : 5;
    if (m_singleShift) {
        // One character through G2/G3, then libvterm starts a new call for the rest; a
        // non-ASCII byte is dropped and leaves the shift pending (its 94-set decodes nothing).
        if (isPrintableAscii(c))
            m_singleShift = false;
        m_decoder = Decoder::None;
        return;
    }
    if (m_decoder == Decoder::None)
        m_decoder = c < 0x80 ? Decoder::Gl : Decoder::Other;
    else if (m_decoder == Decoder::Gl && c >= 0x80 && !m_utf8Set[std::size_t(m_gl)])
        m_decoder = Decoder::Other;
}

void TerminalModeTracker::enterEscape()
{
    m_intermediate = 0;
    m_intermediateCount = 0;
    m_state = State::Escape;
}

void TerminalModeTracker::consume(unsigned char c)
{
    // The order of these checks is parser.c's: NUL and DEL are dropped everywhere, CAN and
    // SUB abort any sequence, ESC starts one (inside a string it may be the start of ST),
    // BEL ends a string, and other C0 controls act at once without leaving the state.
    if (m_state == State::Ground && c >= 0x20 && c != 0x7f) {
        text(c);
        return;
    }
    // Anything but text ends the text in progress (DEL too: the decoders stop at it).
    m_decoder = Decoder::None;
    m_utf8Remaining = 0;
    if (c == 0x00 || c == 0x7f)
        return;
    if (c == 0x18 || c == 0x1a) {
        m_state = State::Ground;
        return;
    }
    if (c == 0x1b) {
        if (m_state == State::String) {
            m_state = State::EscapeInString;
            m_intermediate = 0;
            m_intermediateCount = 0;
        } else {
            enterEscape();
        }
        return;
    }
    const bool inString = m_state == State::String;
    if (c == 0x07 && inString) {
        m_state = State::Ground; // BEL ends OSC/DCS
        return;
    }
    if (c < 0x20) {
        control(c);
        return;
    }

    switch (m_state) {
    case State::Ground:
        return; // text was handled above (bytes from 0x80 are text in UTF-8 mode, not C1)
    case State::String:
        return; // OSC/DCS payload
    case State::EscapeInString:
        if (c == 0x5c) { // ST
            m_state = State::Ground;
            return;
        }
        m_state = State::Escape; // the string is abandoned; this byte continues an escape
        [[fallthrough]];
    case State::Escape:
        if (c == 0x50 || c == 0x5d) { // DCS, OSC
            m_state = State::String;
        } else if (c == 0x5b) { // CSI
            m_leader = 0;
            m_leaderCount = 0;
            m_state = State::CsiLeader;
        } else if (c >= 0x20 && c <= 0x2f) {
            if (m_intermediateCount++ == 0)
                m_intermediate = c;
        } else if (m_intermediateCount == 0 && c >= 0x40 && c < 0x60) {
            control(static_cast<unsigned char>(c + 0x40)); // a 7-bit C1 control
            m_state = State::Ground;
        } else if (c >= 0x30 && c < 0x7f) {
            escape(c);
            m_state = State::Ground;
        }
        // Anything else leaves libvterm in the escape state; so it does here.
        return;
    case State::CsiLeader:
        if (c >= 0x3c && c <= 0x3f) {
            if (m_leaderCount++ == 0)
                m_leader = c;
            return;
        }
        m_argCount = 0;
        m_args[0] = kArgMissing;
        m_state = State::CsiArgs;
        [[fallthrough]];
    case State::CsiArgs:
        if (c >= '0' && c <= '9') {
            long &arg = m_args[std::size_t(m_argCount)];
            if (arg == kArgMissing)
                arg = 0;
            if (arg < 100000) // large enough to mean no mode we follow
                arg = arg * 10 + (c - '0');
            return;
        }
        if (c == ':' || c == ';') {
            if (m_argCount + 1 < kMaxArgs)
                m_args[std::size_t(++m_argCount)] = kArgMissing;
            return;
        }
        ++m_argCount;
        m_intermediate = 0;
        m_intermediateCount = 0;
        m_state = State::CsiIntermediate;
        [[fallthrough]];
    case State::CsiIntermediate:
        if (c >= 0x20 && c <= 0x2f) {
            if (m_intermediateCount++ == 0)
                m_intermediate = c;
            return;
        }
        if (c >= 0x40 && c <= 0x7e)
            csi(c);
        m_state = State::Ground; // dispatched, or an invalid sequence that ends here
        return;
    }
}

void TerminalModeTracker::control(unsigned char c)
{
    switch (c) {
    case 0x0e: m_gl = 1; break;              // SO / LS1
    case 0x0f: m_gl = 0; break;              // SI / LS0
    case 0x8e: case 0x8f: m_singleShift = true; break; // SS2, SS3 (as ESC N, ESC O)
    default: break;
    }
}

void TerminalModeTracker::escape(unsigned char final)
{
    if (m_intermediateCount == 0) {
        switch (final) {
        case 'c': reset(); break;   // RIS
        case 'n': m_gl = 2; break;  // LS2
        case 'o': m_gl = 3; break;  // LS3
        default: break;
        }
        return;
    }
    if (m_intermediateCount == 1 && m_intermediate == '#' && final == '8') {
        m_alignedSinceText = true; // DECALN
        return;
    }
    // SCS: ESC ( ) * + designate G0..G3 (94-character sets), ESC - . / G1..G3 (96). 0.1.4
    // knows only the former; the latter are taken as a change too, to be safe.
    if (m_intermediateCount != 1)
        return;
    int set = -1;
    if (m_intermediate >= '(' && m_intermediate <= '+')
        set = m_intermediate - '(';
    else if (m_intermediate >= '-' && m_intermediate <= '/')
        set = m_intermediate - ',';
    if (set >= 0) {
        m_plainSet[std::size_t(set)] = final == 'B' && m_intermediate <= '+';
        m_utf8Set[std::size_t(set)] = false;
    }
}

void TerminalModeTracker::csi(unsigned char final)
{
    if (final != 'h' && final != 'l')
        return;
    if (m_intermediateCount != 0 || m_leaderCount > 1)
        return; // libvterm ignores these
    const bool set = final == 'h';
    // The modes this sequence may touch: IRM (4) without a leader; DECOM (6) and DECLRMM (69)
    // with '?'.
    const auto follow = [&](long mode, bool &flag) {
        if (set) {
            for (int i = 0; i < m_argCount && i < kMaxArgs; ++i)
                if (m_args[std::size_t(i)] == mode)
                    flag = true;
        } else if (m_argCount > 0 && m_args[0] == mode) {
            flag = false;
        }
    };
    if (m_leader == 0) {
        follow(4, m_insert);
    } else if (m_leader == '?') {
        follow(6, m_origin);
        follow(69, m_leftRightMargins);
    }
}

} // namespace og
