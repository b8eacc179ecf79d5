/* SPDX-License-Identifier: MIT */
/*
 * The monitor's sendkey: QEMU's key names (its "QKeyCode" spelling, as
 * 'sendkey ctrl-alt-delete' takes them) mapped to Kiln's key positions.
 * Keys go down in the order given and come up in reverse, as a person
 * pressing a chord would. Reaches the keyboard only through the machine's key sink.
 */
#include <string.h>

#include "frontend/monitor_priv.h"

static const struct {
    const char *name;
    enum kiln_key key;
} key_names[] = {
    {"a", KILN_KEY_A},
    {"b", KILN_KEY_B},
    {"c", KILN_KEY_C},
    {"d", KILN_KEY_D},
    {"e", KILN_KEY_E},
    {"f", KILN_KEY_F},
    {"g", KILN_KEY_G},
    {"h", KILN_KEY_H},
    {"i", KILN_KEY_I},
    {"j", KILN_KEY_J},
    {"k", KILN_KEY_K},
    {"l", KILN_KEY_L},
    {"m", KILN_KEY_M},
    {"n", KILN_KEY_N},
    {"o", KILN_KEY_O},
    {"p", KILN_KEY_P},
    {"q", KILN_KEY_Q},
    {"r", KILN_KEY_R},
    {"s", KILN_KEY_S},
    {"t", KILN_KEY_T},
    {"u", KILN_KEY_U},
    {"v", KILN_KEY_V},
    {"w", KILN_KEY_W},
    {"x", KILN_KEY_X},
    {"y", KILN_KEY_Y},
    {"z", KILN_KEY_Z},
    {"1", KILN_KEY_1},
    {"2", KILN_KEY_2},
    {"3", KILN_KEY_3},
    {"4", KILN_KEY_4},
    {"5", KILN_KEY_5},
    {"6", KILN_KEY_6},
    {"7", KILN_KEY_7},
    {"8", KILN_KEY_8},
    {"9", KILN_KEY_9},
    {"0", KILN_KEY_0},
    {"grave_accent", KILN_KEY_GRAVE},
    {"minus", KILN_KEY_MINUS},
    {"equal", KILN_KEY_EQUAL},
    {"bracket_left", KILN_KEY_LBRACKET},
    {"bracket_right", KILN_KEY_RBRACKET},
    {"backslash", KILN_KEY_BACKSLASH},
    {"semicolon", KILN_KEY_SEMICOLON},
    {"apostrophe", KILN_KEY_APOSTROPHE},
    {"comma", KILN_KEY_COMMA},
    {"dot", KILN_KEY_PERIOD},
    {"slash", KILN_KEY_SLASH},
    {"less", KILN_KEY_102ND},
    {"esc", KILN_KEY_ESC},
    {"backspace", KILN_KEY_BACKSPACE},
    {"tab", KILN_KEY_TAB},
    {"ret", KILN_KEY_ENTER},
    {"spc", KILN_KEY_SPACE},
    {"caps_lock", KILN_KEY_CAPSLOCK},
    {"shift", KILN_KEY_LSHIFT},
    {"shift_r", KILN_KEY_RSHIFT},
    {"ctrl", KILN_KEY_LCTRL},
    {"ctrl_r", KILN_KEY_RCTRL},
    {"alt", KILN_KEY_LALT},
    {"alt_r", KILN_KEY_RALT},
    {"altgr", KILN_KEY_RALT},
    {"meta_l", KILN_KEY_LWIN},
    {"meta_r", KILN_KEY_RWIN},
    {"menu", KILN_KEY_MENU},
    {"f1", KILN_KEY_F1},
    {"f2", KILN_KEY_F2},
    {"f3", KILN_KEY_F3},
    {"f4", KILN_KEY_F4},
    {"f5", KILN_KEY_F5},
    {"f6", KILN_KEY_F6},
    {"f7", KILN_KEY_F7},
    {"f8", KILN_KEY_F8},
    {"f9", KILN_KEY_F9},
    {"f10", KILN_KEY_F10},
    {"f11", KILN_KEY_F11},
    {"f12", KILN_KEY_F12},
    {"print", KILN_KEY_PRINTSCREEN},
    {"sysrq", KILN_KEY_PRINTSCREEN},
    {"scroll_lock", KILN_KEY_SCROLLLOCK},
    {"pause", KILN_KEY_PAUSE},
    {"insert", KILN_KEY_INSERT},
    {"delete", KILN_KEY_DELETE},
    {"home", KILN_KEY_HOME},
    {"end", KILN_KEY_END},
    {"pgup", KILN_KEY_PAGEUP},
    {"pgdn", KILN_KEY_PAGEDOWN},
    {"up", KILN_KEY_UP},
    {"down", KILN_KEY_DOWN},
    {"left", KILN_KEY_LEFT},
    {"right", KILN_KEY_RIGHT},
    {"num_lock", KILN_KEY_NUMLOCK},
    {"kp_divide", KILN_KEY_KP_DIVIDE},
    {"kp_multiply", KILN_KEY_KP_MULTIPLY},
    {"asterisk", KILN_KEY_KP_MULTIPLY},
    {"kp_subtract", KILN_KEY_KP_MINUS},
    {"kp_add", KILN_KEY_KP_PLUS},
    {"kp_enter", KILN_KEY_KP_ENTER},
    {"kp_decimal", KILN_KEY_KP_PERIOD},
    {"kp_0", KILN_KEY_KP_0},
    {"kp_1", KILN_KEY_KP_1},
    {"kp_2", KILN_KEY_KP_2},
    {"kp_3", KILN_KEY_KP_3},
    {"kp_4", KILN_KEY_KP_4},
    {"kp_5", KILN_KEY_KP_5},
    {"kp_6", KILN_KEY_KP_6},
    {"kp_7", KILN_KEY_KP_7},
    {"kp_8", KILN_KEY_KP_8},
    {"kp_9", KILN_KEY_KP_9},
};

#define SENDKEY_MAX 8

static enum kiln_key key_by_name(const char *s, size_t n)
{
    for (size_t i = 0; i < KILN_ARRAY_SIZE(key_names); i++)
        if (strlen(key_names[i].name) == n && !strncmp(key_names[i].name, s, n))
            return key_names[i].key;
    return KILN_KEY_NONE;
}

void monitor_cmd_sendkey(struct monitor *mon, const char *args)
{
    enum kiln_key keys[SENDKEY_MAX];
    int n = 0;
    size_t len = strcspn(args, " \t");
    if (!len) {
        fprintf(mon->out, "sendkey: missing keys (e.g. sendkey ctrl-alt-delete)\n");
        return;
    }
    /* All names are checked before any key goes down. */
    for (const char *p = args; p < args + len;) {
        size_t k = strcspn(p, "- \t");
        enum kiln_key key = key_by_name(p, k);
        if (key == KILN_KEY_NONE) {
            fprintf(mon->out, "sendkey: unknown key '%.*s'\n", (int)k, p);
            return;
        }
        if (n == SENDKEY_MAX) {
            fprintf(mon->out, "sendkey: at most %d keys at once\n", SENDKEY_MAX);
            return;
        }
        keys[n++] = key;
        p += k;
        if (*p == '-') p++;
    }
    for (int i = 0; i < n; i++)
        keysink_key(&mon->host.keys, keys[i], true);
    for (int i = n - 1; i >= 0; i--)
        keysink_key(&mon->host.keys, keys[i], false);
}
