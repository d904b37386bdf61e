include $(CURDIR)/apps/siem/common/common.mk
