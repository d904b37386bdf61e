/* Unit tests for drivers/virtio_pci_cap.c: a queue's doorbell must lie
 * inside the notification structure the device described. */
#include "suites.h"
#include "virtio_pci_cap.h"

START_TEST(doorbell_inside_structure)
{
    ck_assert_int_eq(virtio_pci_notify_offset(0, 4, 2), 0);
    ck_assert_int_eq(virtio_pci_notify_offset(3, 4, 14), 12); /* the last 2 bytes */
    ck_assert_int_eq(virtio_pci_notify_offset(7, 0, 2), 0);   /* one doorbell for all */
    ck_assert_int_eq(virtio_pci_notify_offset(1, 0x1000, 0x4000), 0x1000);
}
END_TEST

START_TEST(doorbell_outside_structure_refused)
{
    ck_assert_int_eq(virtio_pci_notify_offset(0, 4, 0), -1);
    ck_assert_int_eq(virtio_pci_notify_offset(0, 4, 1), -1); /* half a doorbell */
    ck_assert_int_eq(virtio_pci_notify_offset(3, 4, 13), -1);
    ck_assert_int_eq(virtio_pci_notify_offset(4, 4, 14), -1);
    /* Products past 32 bits neither wrap nor pass. */
    ck_assert_int_eq(virtio_pci_notify_offset(0xffff, 0xffffffffu, 0xffffffffu), -1);
    ck_assert_int_eq(virtio_pci_notify_offset(0x8000, 0x20000, 0x1000), -1);
}
END_TEST

Suite *virtio_pci_cap_suite(void)
{
    Suite *s = suite_create("virtio_pci_cap");
    TCase *tc = tcase_create("virtio_pci_cap");
    tcase_add_test(tc, doorbell_inside_structure);
    tcase_add_test(tc, doorbell_outside_structure_refused);
    suite_add_tcase(s, tc);
    return s;
}
